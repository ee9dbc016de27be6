import type { ConnectionFlags } from '../core/connection.js';
import type { Overflow } from '../generator/open-model.js';
import type { ClientKind } from '../generator/start-client.js';

/** Where the generator runs: `auto` picks by rate (runner/plan.ts INLINE_MAX_RATE), `fork`/`inline` force it. */
export type GeneratorProcess = 'auto' | 'fork' | 'inline';

/**
 * What a run is asked to do, before validation: `bench run`'s flags (cli/commands/run.ts) or a
 * capacity step (capacity/step-runner.ts). planRun checks it and turns it into a RunPlan; its error
 * messages name the CLI flags (`--generators`), the one way users meet these settings.
 */
export interface RunSpec {
  /** Connection flags, resolved with the environment by planRun (core/connection.ts). */
  connection: ConnectionFlags;
  /** A ready scenario; none with neither rps, concurrency nor config: smoke. */
  scenario?: string;
  /** A JSON scenario file (may extend a ready one). */
  config?: string;
  rps?: number;
  duration?: string;
  concurrency?: number;
  warmup?: string;
  cooldown?: string;
  /** k6 thresholds, 'metric=expression'; they replace the scenario's for their metric. */
  thresholds?: string[];
  /** Default: generated. */
  runId?: string;
  /** Default: results/<run-id>. */
  out?: string;
  drainTimeout: string;
  /** Run time per .hlog file. */
  hlogSegment: string;
  generators: number;
  generatorProcess: GeneratorProcess;
  /** Default: the scenario's maxVUs, else 10000 (closed model: its VUs). */
  inFlightCap?: number;
  overflow: Overflow;
  maxRps: number;
  allowHighRate: boolean;
  allowProduction: boolean;
  /** Default: 1, or 0 with workerStats. */
  workers?: number;
  workerStats?: string[];
  client: ClientKind;
  /** Port of the runner's /metrics; 0: any free port. */
  metricsPort: number;
  /** Scheduling-lag p99 above this marks the run invalid. */
  maxLagMs: number;
  /** The embedded stack's directory (default env BENCH_RUN_STACK_DIR, else .stack/run-<id>); with an address, the local stack serving it. */
  stackDir?: string;
  stackPort: number;
  stackShards: number;
  taskQueueActivitiesPerSecond?: number;
  activitySlots?: number;
  /** 'I/N': this process's execution segment. Default: the whole run. */
  segment?: string;
  /** Shared t0 of every segment. */
  startAt?: string;
  /** Default: segment 0 only. */
  collectE2E?: boolean;
  faults?: string[];
}

/** Every run default that does not depend on other settings (those are planRun's, noted on RunSpec). */
export const RUN_DEFAULTS = {
  drainTimeout: '60s',
  hlogSegment: '1h',
  generators: 1,
  generatorProcess: 'auto',
  overflow: 'drop',
  maxRps: 1000,
  allowHighRate: false,
  allowProduction: false,
  client: 'native',
  metricsPort: 0,
  maxLagMs: 25,
  stackPort: 27233,
  stackShards: 512,
} as const satisfies Partial<RunSpec>;

type Defaulted = keyof typeof RUN_DEFAULTS;

/** A RunSpec from the settings given; undefined ones take RUN_DEFAULTS. */
export function runSpec(given: Omit<RunSpec, Defaulted> & Partial<Pick<RunSpec, Defaulted>>): RunSpec {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { ...RUN_DEFAULTS, ...defined } as RunSpec;
}

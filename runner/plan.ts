import crypto from 'node:crypto';
import path from 'node:path';
import { type ConnectionArgs, type ConnectionConfig } from '../core/connection.js';
import { resolveClusterConnection } from '../stack/tls-pickup.js';
import { UsageError } from '../core/errors.js';
import { composeScenario } from '../scenarios/compose.js';
import { parseDurationMs, parsePositiveDurationMs } from '../scenarios/duration.js';
import { isOpenModel, type ScenarioDefinition } from '../scenarios/types.js';
import { closedPlan, type ClosedPlan } from '../generator/closed-model.js';
import { planFaults, type FaultPlan } from '../faults/plan.js';
import { checkNamespace, checkRate } from './guardrails.js';
import type { Overflow } from '../generator/open-model.js';
import type { WorkerTuning } from '../workers/options.js';
import { dnsServers, parseStatsSource, type StatsSource } from './dns-endpoints.js';
import { checkOutDir } from '../recorder/result-file.js';
import { profileOf, type RateProfile } from '../schedule/schedule.js';
import { parseSegment, parseStartAt, wholeRun, type Segment } from '../schedule/segment.js';
import type { ClientKind } from '../generator/start-client.js';
import { defaultValidityBounds, type ValidityBounds } from '../recorder/validity.js';
import { parseThresholdFlags, parseThresholds, tagKey, type ParsedThreshold } from '../recorder/thresholds.js';
import { catalogResolver, resolveMix, type ResolvedEntry } from '../schedule/workload.js';

/** `bench run` flags (see cli/commands/run.ts). */
export interface RunArgs extends ConnectionArgs {
  scenario?: string;
  config?: string;
  rps?: number;
  duration?: string;
  concurrency?: number;
  warmup?: string;
  cooldown?: string;
  threshold?: string[];
  'run-id'?: string;
  out?: string;
  'drain-timeout': string;
  'hlog-segment'?: string;
  generators: number;
  'generator-process'?: string;
  'in-flight-cap'?: number;
  overflow: Overflow;
  'max-rps': number;
  'allow-high-rate': boolean;
  'allow-production': boolean;
  workers?: number;
  'worker-stats'?: string[];
  client: ClientKind;
  'metrics-port': number;
  'max-lag-ms': number;
  'stack-dir'?: string;
  'stack-port': number;
  'stack-shards': number;
  'task-queue-activities-per-second'?: number;
  'activity-slots'?: number;
  segment?: string;
  'start-at'?: string;
  'collect-e2e'?: boolean;
  fault?: string[];
}

export interface EmbeddedStackPlan {
  dir: string;
  frontendPort: number;
  shards: number;
}

/** Everything a run needs, validated before anything is started or written. */
export interface RunPlan {
  runId: string;
  taskQueue: string;
  outDir: string;
  scenario: ScenarioDefinition;
  mix: ResolvedEntry[];
  profile?: RateProfile;
  closed?: ClosedPlan;
  plannedDurationS: number;
  warmupS: number;
  cooldownS: number;
  thresholds: ParsedThreshold[];
  connection: ConnectionConfig;
  embedded?: EmbeddedStackPlan;
  generators: number;
  /** The single generator runs inside the coordinator (low open-model rates, or --generator-process inline). */
  inlineGenerator: boolean;
  inFlightCap: number;
  overflow: Overflow;
  drainTimeoutMs: number;
  /** Run time per .hlog segment file, seconds. */
  hlogSegmentS: number;
  executionTimeoutMs: number;
  clientKind: ClientKind;
  workers: number;
  workerStats: string[];
  metricsPort: number;
  bounds: ValidityBounds;
  /** Options of the workers the run starts (e.g. a task-queue activity rate limit). */
  workerTuning: WorkerTuning;
  /** This process's execution segment (0/1: the whole run). */
  segment: Segment;
  /** The shared t0 of every segment (--start-at), epoch ms; undefined: now, when setup is done. */
  startAtEpoch?: number;
  /** Pull end-to-end latencies from --worker-stats (a shared worker pool is pulled by one segment only). */
  collectE2E: boolean;
  /** Faults to inject during the load (--fault, the scenario's faults) and the local stack they act on. */
  faults: FaultPlan;
  /** --stack-dir with --address: where to look for the local stack serving it (resource sampling, worker scraping). */
  localStackDir?: string;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `r${stamp}-${crypto.randomBytes(2).toString('hex')}`;
}

function positiveInt(name: string, v: number | undefined, min = 1): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new UsageError(`--${name} must be an integer >= ${min}, got ${v}`);
}

function checkUrl(url: string, env: NodeJS.ProcessEnv): string {
  let source: StatsSource;
  try {
    source = parseStatsSource(url);
  } catch (err) {
    throw new UsageError(`--worker-stats ${JSON.stringify(url)}: ${(err as Error).message}`);
  }
  if (source.kind === 'dns') dnsServers(env);
  return source.source;
}

/**
 * Up to this peak rate one generator runs inside the coordinator (`--generator-process auto`): there
 * a second process cost more CPU than the starts (bench:overhead), and the coordinator's per-second
 * work is small next to the gaps between starts.
 */
export const INLINE_MAX_RATE = 100;

/** `auto`: one generator at a peak rate up to INLINE_MAX_RATE runs in the coordinator; `fork`/`inline` force it. */
function inlineGenerator(args: RunArgs, profile: RateProfile | undefined): boolean {
  const mode = args['generator-process'] ?? 'auto';
  if (mode !== 'auto' && mode !== 'fork' && mode !== 'inline') throw new UsageError(`--generator-process ${JSON.stringify(mode)}: expected auto, fork or inline`);
  if (mode === 'inline' && args.generators !== 1) throw new UsageError(`--generator-process inline runs one generator, not --generators ${args.generators}`);
  return mode === 'inline' || (mode === 'auto' && args.generators === 1 && profile !== undefined && profile.peakRate <= INLINE_MAX_RATE);
}

export async function planRun(args: RunArgs, env: NodeJS.ProcessEnv = process.env): Promise<RunPlan> {
  if (args.overflow !== 'drop' && args.overflow !== 'queue') throw new UsageError(`--overflow ${JSON.stringify(args.overflow)}: expected drop or queue`);
  if (args.client !== 'connection' && args.client !== 'native') throw new UsageError(`--client ${JSON.stringify(args.client)}: expected connection or native`);
  positiveInt('generators', args.generators);
  if (args.generators > 16) throw new UsageError(`--generators ${args.generators}: at most 16`);
  positiveInt('in-flight-cap', args['in-flight-cap']);
  positiveInt('workers', args.workers, 0);
  positiveInt('stack-shards', args['stack-shards']);
  positiveInt('activity-slots', args['activity-slots']);
  const tqRate = args['task-queue-activities-per-second'];
  if (tqRate !== undefined && !(tqRate > 0)) throw new UsageError(`--task-queue-activities-per-second must be > 0, got ${tqRate}`);
  if (!(Number.isInteger(args['stack-port']) && args['stack-port'] > 0 && args['stack-port'] < 65500)) throw new UsageError(`--stack-port must be a port number, got ${args['stack-port']}`);
  if (!(args['max-lag-ms'] > 0)) throw new UsageError(`--max-lag-ms must be > 0, got ${args['max-lag-ms']}`);
  const segment = args.segment === undefined ? wholeRun : parseSegment(args.segment);
  const startAtEpoch = args['start-at'] === undefined ? undefined : parseStartAt(args['start-at']);
  if (segment.count > 1 && !args['run-id']) throw new UsageError('--segment needs --run-id: every segment of a run must use the same one');
  const runId = args['run-id'] ?? newRunId();
  if (!/^[A-Za-z0-9][\w.-]{0,62}$/.test(runId)) throw new UsageError(`--run-id ${JSON.stringify(runId)}: use letters, digits, _ . - (at most 63)`);
  const outDir = path.resolve(args.out ?? path.join('results', runId));
  checkOutDir(outDir);

  const scenario = await composeScenario(args.scenario, args.config, {
    rps: args.rps,
    duration: args.duration,
    concurrency: args.concurrency,
    warmup: args.warmup,
    cooldown: args.cooldown,
    thresholds: args.threshold?.length ? parseThresholdFlags(args.threshold) : undefined,
  });
  const mix = resolveMix(scenario.mix, catalogResolver);
  const e = scenario.executor;
  const profile = isOpenModel(e) ? profileOf(e) : undefined;
  const closed = isOpenModel(e) ? undefined : closedPlan(e);
  const plannedDurationS = profile?.durationS ?? closed!.durationS;
  checkRate(profile?.peakRate ?? 0, args['max-rps'], args['allow-high-rate']);
  const warmupS = Math.round(parseDurationMs(scenario.warmup ?? 0, 'warmup') / 1000);
  const cooldownS = Math.round(parseDurationMs(scenario.cooldown ?? 0, 'cooldown') / 1000);
  if (warmupS + cooldownS >= plannedDurationS) throw new UsageError(`warmup ${warmupS}s + cooldown ${cooldownS}s leave no steady window in a ${plannedDurationS}s run`);

  const thresholds = parseThresholds(scenario.thresholds, (s) => parseDurationMs(s, 'delayAbortEval'));
  const tags = new Set(mix.map((m) => m.tag));
  for (const t of thresholds) {
    const kind = /\{.*kind:([\w.-]+).*\}/.exec(t.key)?.[1];
    if (kind && !tags.has(kind)) throw new UsageError(`threshold ${t.metric}: no mix entry is tagged ${kind} (tags: ${[...tags].join(', ')})`);
    if (t.key === tagKey('e2e', {}) && args.workers === 0 && !args['worker-stats']?.length) {
      throw new UsageError(`threshold ${t.metric} needs end-to-end latencies: keep --workers or give --worker-stats`);
    }
  }

  const connection = resolveClusterConnection(args, env);
  checkNamespace(connection.namespace, args['allow-production'], env);
  const workerStats = (args['worker-stats'] ?? []).map((url) => checkUrl(url, env));
  // With external workers reporting stats, start none here unless asked; otherwise one process pool.
  const workers = args.workers ?? (workerStats.length ? 0 : 1);
  const embedded = connection.address
    ? undefined
    : { dir: path.resolve(args['stack-dir'] ?? env.BENCH_RUN_STACK_DIR ?? path.join('.stack', `run-${runId}`)), frontendPort: args['stack-port'], shards: args['stack-shards'] };
  if (embedded && workerStats.length) throw new UsageError('--worker-stats needs --address: the embedded stack starts its own workers');
  if (embedded && segment.count > 1) throw new UsageError('--segment needs --address: the segments of a run share one cluster');
  const faults = planFaults(scenario.faults, args.fault, plannedDurationS, { address: connection.address, stackDir: args['stack-dir'] ? path.resolve(args['stack-dir']) : undefined, embeddedDir: embedded?.dir });
  if (faults.faults.length && segment.count > 1) throw new UsageError('faults need an unsplit run: inject them from one place, not from every segment');
  const inFlightCap = args['in-flight-cap'] ?? (isOpenModel(e) ? (e.maxVUs ?? e.preAllocatedVUs ?? 10_000) : closed!.vus);
  const hlogSegmentS = parsePositiveDurationMs(args['hlog-segment'] ?? '1h', '--hlog-segment') / 1000;
  if (hlogSegmentS < 1 || !Number.isInteger(hlogSegmentS)) throw new UsageError(`--hlog-segment ${args['hlog-segment']}: use whole seconds, at least 1s`);
  const executionTimeoutMs = parsePositiveDurationMs(scenario.workflowExecutionTimeout ?? '10m', 'workflowExecutionTimeout');
  return {
    runId,
    taskQueue: `bench-${runId}`,
    outDir,
    scenario,
    mix,
    profile,
    closed,
    plannedDurationS,
    warmupS,
    cooldownS,
    thresholds,
    connection,
    embedded,
    generators: args.generators,
    inlineGenerator: inlineGenerator(args, profile),
    inFlightCap,
    overflow: args.overflow,
    drainTimeoutMs: parsePositiveDurationMs(args['drain-timeout'], '--drain-timeout'),
    hlogSegmentS,
    executionTimeoutMs,
    clientKind: args.client,
    workers,
    workerStats,
    metricsPort: args['metrics-port'],
    bounds: { ...defaultValidityBounds, maxSchedulingLagP99Ms: args['max-lag-ms'] },
    workerTuning: { taskQueueActivitiesPerSecond: args['task-queue-activities-per-second'], activitySlots: args['activity-slots'] },
    segment,
    startAtEpoch,
    // A worker pool shared by every segment is pulled by segment 0 alone: each completion counts once.
    collectE2E: args['collect-e2e'] ?? segment.index === 0,
    faults,
    localStackDir: connection.address && args['stack-dir'] ? path.resolve(args['stack-dir']) : undefined,
  };
}

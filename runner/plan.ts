import crypto from 'node:crypto';
import path from 'node:path';
import type { ConnectionConfig } from '../core/connection.js';
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
import type { RunSpec } from './run-spec.js';

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
function inlineGenerator(spec: RunSpec, profile: RateProfile | undefined): boolean {
  const mode = spec.generatorProcess;
  if (mode !== 'auto' && mode !== 'fork' && mode !== 'inline') throw new UsageError(`--generator-process ${JSON.stringify(mode)}: expected auto, fork or inline`);
  if (mode === 'inline' && spec.generators !== 1) throw new UsageError(`--generator-process inline runs one generator, not --generators ${spec.generators}`);
  return mode === 'inline' || (mode === 'auto' && spec.generators === 1 && profile !== undefined && profile.peakRate <= INLINE_MAX_RATE);
}

/** The settings planRun checks on their own, before reading the scenario (messages name the flags). */
function checkSettings(spec: RunSpec): void {
  if (spec.overflow !== 'drop' && spec.overflow !== 'queue') throw new UsageError(`--overflow ${JSON.stringify(spec.overflow)}: expected drop or queue`);
  if (spec.client !== 'connection' && spec.client !== 'native') throw new UsageError(`--client ${JSON.stringify(spec.client)}: expected connection or native`);
  positiveInt('generators', spec.generators);
  if (spec.generators > 16) throw new UsageError(`--generators ${spec.generators}: at most 16`);
  positiveInt('in-flight-cap', spec.inFlightCap);
  positiveInt('workers', spec.workers, 0);
  positiveInt('stack-shards', spec.stackShards);
  positiveInt('activity-slots', spec.activitySlots);
  const tqRate = spec.taskQueueActivitiesPerSecond;
  if (tqRate !== undefined && !(tqRate > 0)) throw new UsageError(`--task-queue-activities-per-second must be > 0, got ${tqRate}`);
  if (!(Number.isInteger(spec.stackPort) && spec.stackPort > 0 && spec.stackPort < 65500)) throw new UsageError(`--stack-port must be a port number, got ${spec.stackPort}`);
  if (!(spec.maxLagMs > 0)) throw new UsageError(`--max-lag-ms must be > 0, got ${spec.maxLagMs}`);
}

/** The scenario with --rps/--duration/... applied: its mix, load shape, length and statistics window. */
async function planScenario(spec: RunSpec) {
  const scenario = await composeScenario(spec.scenario, spec.config, {
    rps: spec.rps,
    duration: spec.duration,
    concurrency: spec.concurrency,
    warmup: spec.warmup,
    cooldown: spec.cooldown,
    thresholds: spec.thresholds?.length ? parseThresholdFlags(spec.thresholds) : undefined,
  });
  const mix = resolveMix(scenario.mix, catalogResolver);
  const e = scenario.executor;
  const profile = isOpenModel(e) ? profileOf(e) : undefined;
  const closed = isOpenModel(e) ? undefined : closedPlan(e);
  const plannedDurationS = profile?.durationS ?? closed!.durationS;
  checkRate(profile?.peakRate ?? 0, spec.maxRps, spec.allowHighRate);
  const warmupS = Math.round(parseDurationMs(scenario.warmup ?? 0, 'warmup') / 1000);
  const cooldownS = Math.round(parseDurationMs(scenario.cooldown ?? 0, 'cooldown') / 1000);
  if (warmupS + cooldownS >= plannedDurationS) throw new UsageError(`warmup ${warmupS}s + cooldown ${cooldownS}s leave no steady window in a ${plannedDurationS}s run`);
  return { scenario, mix, profile, closed, plannedDurationS, warmupS, cooldownS };
}

/** The scenario's thresholds, each naming a tag of the mix and a metric this run will have. */
function planThresholds(scenario: ScenarioDefinition, mix: ResolvedEntry[], spec: RunSpec): ParsedThreshold[] {
  const thresholds = parseThresholds(scenario.thresholds, (s) => parseDurationMs(s, 'delayAbortEval'));
  const tags = new Set(mix.map((m) => m.tag));
  for (const t of thresholds) {
    const kind = /\{.*kind:([\w.-]+).*\}/.exec(t.key)?.[1];
    if (kind && !tags.has(kind)) throw new UsageError(`threshold ${t.metric}: no mix entry is tagged ${kind} (tags: ${[...tags].join(', ')})`);
    if (t.key === tagKey('e2e', {}) && spec.workers === 0 && !spec.workerStats?.length) {
      throw new UsageError(`threshold ${t.metric} needs end-to-end latencies: keep --workers or give --worker-stats`);
    }
  }
  return thresholds;
}

export async function planRun(spec: RunSpec, env: NodeJS.ProcessEnv = process.env): Promise<RunPlan> {
  checkSettings(spec);
  const segment = spec.segment === undefined ? wholeRun : parseSegment(spec.segment);
  const startAtEpoch = spec.startAt === undefined ? undefined : parseStartAt(spec.startAt);
  if (segment.count > 1 && !spec.runId) throw new UsageError('--segment needs --run-id: every segment of a run must use the same one');
  const runId = spec.runId ?? newRunId();
  if (!/^[A-Za-z0-9][\w.-]{0,62}$/.test(runId)) throw new UsageError(`--run-id ${JSON.stringify(runId)}: use letters, digits, _ . - (at most 63)`);
  const outDir = path.resolve(spec.out ?? path.join('results', runId));
  checkOutDir(outDir);

  const { scenario, mix, profile, closed, plannedDurationS, warmupS, cooldownS } = await planScenario(spec);
  const e = scenario.executor;
  const thresholds = planThresholds(scenario, mix, spec);

  const connection = resolveClusterConnection({ ...spec.connection, 'stack-dir': spec.stackDir }, env);
  checkNamespace(connection.namespace, spec.allowProduction, env);
  const workerStats = (spec.workerStats ?? []).map((url) => checkUrl(url, env));
  // With external workers reporting stats, start none here unless asked; otherwise one process pool.
  const workers = spec.workers ?? (workerStats.length ? 0 : 1);
  const embedded = connection.address ? undefined : { dir: path.resolve(spec.stackDir ?? env.BENCH_RUN_STACK_DIR ?? path.join('.stack', `run-${runId}`)), frontendPort: spec.stackPort, shards: spec.stackShards };
  if (embedded && workerStats.length) throw new UsageError('--worker-stats needs --address: the embedded stack starts its own workers');
  if (embedded && segment.count > 1) throw new UsageError('--segment needs --address: the segments of a run share one cluster');
  const faults = planFaults(scenario.faults, spec.faults, plannedDurationS, { address: connection.address, stackDir: spec.stackDir ? path.resolve(spec.stackDir) : undefined, embeddedDir: embedded?.dir });
  if (faults.faults.length && segment.count > 1) throw new UsageError('faults need an unsplit run: inject them from one place, not from every segment');
  const inFlightCap = spec.inFlightCap ?? (isOpenModel(e) ? (e.maxVUs ?? e.preAllocatedVUs ?? 10_000) : closed!.vus);
  const hlogSegmentS = parsePositiveDurationMs(spec.hlogSegment, '--hlog-segment') / 1000;
  if (hlogSegmentS < 1 || !Number.isInteger(hlogSegmentS)) throw new UsageError(`--hlog-segment ${spec.hlogSegment}: use whole seconds, at least 1s`);
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
    generators: spec.generators,
    inlineGenerator: inlineGenerator(spec, profile),
    inFlightCap,
    overflow: spec.overflow,
    drainTimeoutMs: parsePositiveDurationMs(spec.drainTimeout, '--drain-timeout'),
    hlogSegmentS,
    executionTimeoutMs,
    clientKind: spec.client,
    workers,
    workerStats,
    metricsPort: spec.metricsPort,
    bounds: { ...defaultValidityBounds, maxSchedulingLagP99Ms: spec.maxLagMs },
    workerTuning: { taskQueueActivitiesPerSecond: spec.taskQueueActivitiesPerSecond, activitySlots: spec.activitySlots },
    segment,
    startAtEpoch,
    // A worker pool shared by every segment is pulled by segment 0 alone: each completion counts once.
    collectE2E: spec.collectE2E ?? segment.index === 0,
    faults,
    localStackDir: connection.address && spec.stackDir ? path.resolve(spec.stackDir) : undefined,
  };
}

/**
 * The versioned schema of `result.json`, the file every later stage (report, compare, history,
 * capacity) reads. Bump RESULT_SCHEMA_VERSION on any breaking change; readers refuse other versions.
 * All latencies are milliseconds; all rates are per second.
 */
import type { LatencyStats } from '../metrics/histogram.js';
import type { WorkerEndpoint } from '../runner/e2e-source.js';
import type { ResourceUsage } from './resource-schema.js';

export type { LatencyStats } from '../metrics/histogram.js';
export type { HostResources, ResourceComponent, ResourceKind, ResourceUsage } from './resource-schema.js';

export const RESULT_SCHEMA_VERSION = 1;

export type Phase = 'warmup' | 'steady' | 'cooldown' | 'drain';

/**
 * One interval (normally 1 s) of the run, as measured by the generator(s) and workers. Every outcome
 * counts in the interval of its arrival's *intended* time (closed model: when the VU iteration began):
 * `sent`, `started`, `errors`, the latencies, and `completed`/`failed` (workflows meant to start here that
 * finished, whenever that was). Only `finished`, `inFlight` and `generator` are by wall-clock second.
 */
export interface IntervalRecord {
  /** Seconds from t0 to the start of this interval. */
  t: number;
  durationS: number;
  phase: Phase;
  /** Starts the schedule intended in this interval. */
  target: number;
  sent: number;
  started: number;
  completed: number;
  failed: number;
  /** Workflows the workers saw finish during this wall-clock second, whichever second they were meant in. */
  finished?: number;
  dropped: number;
  /** Errors by gRPC status name (e.g. RESOURCE_EXHAUSTED) or error class. */
  errors: Record<string, number>;
  inFlight: number;
  /** Per-operation latency percentiles in this interval: start, startService, e2e, signal, update, query, schedulingLag. */
  latencyMs: Record<string, LatencyStats>;
  generator: { eventLoopDelayP99Ms: number; cpuPercent: number; rssMb: number };
}

export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
  /** The observed value the expression compared (undefined when the metric had no samples). */
  value: number | null;
  abortOnFail?: boolean;
}

export interface Reconciliation {
  completed: number;
  failed: number;
  timedOut: number;
  canceled: number;
  running: number;
  terminated: number;
  continuedAsNew: number;
  /** Started (acknowledged by the server) but not found in any state above. Must be 0. */
  unaccounted: number;
}

export interface ResultSummary {
  targetRate: number;
  achievedRate: number;
  targetStarts: number;
  sentStarts: number;
  startedOk: number;
  dropped: number;
  errors: number;
  errorsByCode: Record<string, number>;
  completed: number;
  failed: number;
  /** Whole-run latency percentiles per operation (steady phase only), milliseconds. */
  latencyMs: Record<string, LatencyStats>;
  reconciliation: Reconciliation | null;
  thresholds: ThresholdResult[];
  /** False when the generator could not hold the rate (see invalidReasons): numbers are not trustworthy. */
  valid: boolean;
  invalidReasons: string[];
  /** What looked like a generator problem but was not counted as one, and why (e.g. lag only during an injected fault). */
  validityNotes?: string[];
  /** Seconds starts were issued (the schedule, or until SIGINT). Optional: added in the runner. */
  loadDurationS?: number;
  /** The schedule's planned length, seconds. */
  plannedDurationS?: number;
  /**
   * How much of the schedule ran, seconds: the planned length for a complete run, less when it was cut
   * short (SIGINT, abort) or is still going; targetRate and achievedRate are over this time.
   */
  elapsedDurationS?: number;
  /** Length of the steady (measured) window in seconds. */
  steadyDurationS?: number;
  /** Generator health over the steady window: could it hold the rate? */
  generator?: GeneratorSummary;
  /**
   * Per phase: outcomes of the calls intended in it, how many of them arrived only after the phase had
   * ended (they are in the phase's statistics all the same), and how many were censored at the drain
   * timeout (errors TIMEOUT_AT_DRAIN, latency recorded as the time waited).
   */
  outcomesByPhase?: Partial<Record<Phase, PhaseOutcomes>>;
  /**
   * The steady window's counters (every key, tagged ones too: `calls{kind:chain}`, `errors{code:X}`),
   * finished workflows and length: with `histograms`, what thresholds are evaluated on (bench merge
   * re-evaluates them from the segments' sums).
   */
  steady?: SteadyTotals;
}

export interface SteadyTotals {
  counts: Record<string, number>;
  completed: number;
  failed: number;
  canceled: number;
  durationS: number;
  /** Starts the schedule intended in the steady window. */
  targets: number;
}

export interface PhaseOutcomes {
  outcomes: number;
  afterPhaseEnd: number;
  censored: number;
}

export interface GeneratorSummary {
  processes: number;
  schedulingLagP99Ms: number;
  /** Highest per-interval event-loop delay p99 over the steady window. */
  eventLoopDelayP99MaxMs: number;
  cpuSeconds: number;
  startsPerCpuSecond: number;
  /** Workflows terminated by the run's own cleanup after the drain. */
  terminatedByCleanup: number;
}

export interface Environment {
  address: string;
  namespace: string;
  taskQueue: string;
  serverVersion: string;
  historyShardCount: number;
  harnessVersion: string;
  gitSha: string;
  nodeVersion: string;
  /** The coordinator's Node flags (process.execArgv): `--no-memory-reducer` when started as `bench`. */
  nodeFlags?: string[];
  generatorHost: string;
  generators: number;
  /** The generator ran inside the coordinator process (absent: each generator was its own process). */
  generatorInProcess?: boolean;
  embeddedStack: boolean;
  prometheusUrl?: string;
  /** Start client used by the generators: `connection` (@temporalio/client) or `native` (NativeConnection). */
  clientKind?: string;
  /** Where end-to-end latencies came from (worker stats URLs); empty when none. */
  workerStats?: string[];
  /** Every stats endpoint pulled from (a dns+http:// source: one per pod address it ever listed). */
  workerEndpoints?: WorkerEndpoint[];
  /** Options of the workers the run started itself (e.g. taskQueueActivitiesPerSecond, activitySlots per process). */
  workerTuning?: { taskQueueActivitiesPerSecond?: number; activitySlots?: number };
  /** Worker processes the run started itself (0: external workers). */
  workerProcesses?: number;
}

export interface ScenarioInfo {
  name: string;
  description: string;
  /** The k6-style executor config and workload mix as run, after flag overrides. */
  config: unknown;
}

export interface ResultFile {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  runId: string;
  status: 'running' | 'completed' | 'interrupted' | 'aborted';
  startedAt: string;
  endedAt: string | null;
  /** Start and end of the steady (measured) window, ISO, for Prometheus range queries. */
  window: { start: string; end: string } | null;
  scenario: ScenarioInfo;
  environment: Environment;
  timeline: IntervalRecord[];
  summary: ResultSummary;
  /** The run's HdrHistogram interval log, relative to result.json (its first segment). */
  hlogFile?: string;
  /** Every segment of the interval log in order (a new file per `--hlog-segment` of run time). */
  hlogFiles?: string[];
  /** Whole-run (steady phase) HDR histograms, compressed base64, microseconds, per operation. */
  histograms: Record<string, string>;
  /** Set on one segment of a split run (`bench run --segment I/N`); `bench merge` combines them. */
  segment?: SegmentInfo;
  /** Set on a run `bench merge` made from segments. */
  merged?: MergeInfo;
  /** Faults injected during the run (`--fault`, a scenario's `faults`), as they happened. */
  faults?: FaultRecord[];
  /** Outage windows and their effect, from the per-second outcomes (set when faults ran or an outage showed). */
  availability?: Availability;
  /** CPU and memory of every component the runner could name, once a second (runner/resources.ts). */
  resources?: ResourceUsage;
}

export type FaultAction = 'kill' | 'stop' | 'pause' | 'resume' | 'exec';

/** One injected fault as it happened; times in seconds from the run's t0. */
export interface FaultRecord {
  /** As the user wrote it, e.g. `at=15s,action=kill,target=history,replica=0,restart-after=20s`. */
  spec: string;
  action: FaultAction;
  /** What it hit: a stack process id (`server`, `history-1`, `prometheus`) or `exec`. */
  target: string;
  /** Planned time. */
  atS: number;
  /** When it was carried out; null when the run ended first. */
  firedAtS: number | null;
  /** When the target was started (kill/stop) or resumed (pause) again by `restart-after`; null: not (yet). */
  restartedAtS: number | null;
  /** exec: the command, its end time and exit status. */
  cmd?: string;
  endedAtS?: number;
  exitCode?: number | null;
  /** Whether the action itself succeeded (the signal was delivered, the command exited 0). */
  ok: boolean;
  /** One line: what was done, e.g. "SIGKILL to history-1 (pid 4242); restarted as pid 4300 at t=35.1 s". */
  outcome: string;
}

export type OutageSignal = 'errors' | 'no-answer' | 'stall';

/** Consecutive seconds in which clients saw the cluster unavailable. */
export interface AvailabilityWindow {
  /** Seconds from t0; [startS, endS). */
  startS: number;
  endS: number;
  /** What showed it: failed starts, starts with no answer (censored at the drain), completions stalled. */
  signals: OutageSignal[];
  /** Index in `faults` of the fault it follows, null when none explains it. */
  fault: number | null;
  failedStarts: number;
  errorsByCode: Record<string, number>;
}

/** How one fault showed to clients. */
export interface FaultImpact {
  fault: number;
  impact: 'outage' | 'no visible impact';
  /** Seconds from the fault to the first failed start or stalled second; null: none seen. */
  firstErrorAfterS: number | null;
  /** Seconds from the restart (or the fault, when nothing restarted it) to the end of its outage; null: no outage, or it never ended. */
  recoveryS: number | null;
}

export interface Availability {
  windows: AvailabilityWindow[];
  /** Seconds covered by windows. */
  unavailableSeconds: number;
  faults: FaultImpact[];
  /** Starts that got an error, by code, over the whole run. */
  failedStarts: number;
  failedStartsByCode: Record<string, number>;
  /** Starts whose RPC failed ambiguously (UNAVAILABLE, DEADLINE_EXCEEDED) but that the server has: started, answer lost. */
  startedAnswerLost: number;
  /** Workflows whose intended start fell in a window and that still completed (late, not lost). */
  delayedWorkflows: number;
  /** Started workflows the server lost (reconciliation's unaccounted); 0 when nothing was lost. */
  lostWork: number;
}

export interface SegmentInfo {
  index: number;
  count: number;
  host: string;
  /** The shared t0 (--start-at), ISO; absent when the segment picked its own. */
  startAt?: string;
  /** How long after t0 the segment was ready to send (negative: early, as it should be). */
  readyAfterT0Ms: number;
  /** Ready more than 1 s after t0: its first arrivals went out late and the merged run is invalid. */
  late: boolean;
}

export interface MergeInfo {
  segments: { index: number; host: string; dir: string; valid: boolean; late: boolean; startedOk: number; clockOffsetMs: number | null }[];
  /** Segment indices of 0..count-1 that were not given. */
  missing: number[];
  /**
   * Spread of the segments' clock offsets (max − min, ms), each the minimum of server start time −
   * intended time over a sample of its workflows; null for a closed model or fewer than two segments.
   */
  clockSkewMs: number | null;
}

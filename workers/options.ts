import type { WorkerOptions } from '@temporalio/worker';
import type { ConnectionConfig } from '../core/connection.js';
import { UsageError } from '../core/errors.js';
import { findKind } from '../catalog/kinds.js';
import type { CoreLogGroup } from './core-log-summary.js';

/** Worker tuning knobs; unset means the SDK default. Same meaning in every process of a pool. */
export interface WorkerTuning {
  /** maxConcurrentWorkflowTaskExecutions */
  workflowSlots?: number;
  /** maxConcurrentActivityTaskExecutions */
  activitySlots?: number;
  /** maxConcurrentLocalActivityExecutions */
  localActivitySlots?: number;
  /** maxConcurrentWorkflowTaskPolls */
  workflowPollers?: number;
  /** maxConcurrentActivityTaskPolls */
  activityPollers?: number;
  maxCachedWorkflows?: number;
  /** false disables the sticky queue (the SDK does so when the workflow cache is 0). Default true. */
  sticky?: boolean;
  /** stickyQueueScheduleToStartTimeout: how long a task waits on the sticky queue before moving. */
  stickyScheduleToStartTimeoutMs?: number;
  /** maxTaskQueueActivitiesPerSecond: a server-side limit for the whole task queue. */
  taskQueueActivitiesPerSecond?: number;
  /** maxActivitiesPerSecond: a limit per worker process. */
  workerActivitiesPerSecond?: number;
}

export interface WorkerPoolOptions extends WorkerTuning {
  /** Where to connect; `address` must be set (the CLI resolves the local stack's frontend). */
  connection: ConnectionConfig;
  taskQueue: string;
  /** Worker processes to fork (each with its own Worker, connection and Prometheus endpoint). */
  processes: number;
  /** Workflow kinds to register (names from `bench list`); default every kind. */
  kinds?: string[];
  /** Port of the end-to-end latency stats endpoint; 0 or unset = ephemeral. */
  statsPort?: number;
  /** Interface every endpoint binds (stats, SDK metrics, process metrics). Default 127.0.0.1. */
  host?: string;
  /** A local stack directory: its Prometheus is told to scrape the workers (file_sd). */
  stackDir?: string;
  /** Progress and child failures; default silent. */
  log?: (line: string) => void;
  /** The file the worker processes append the SDK core's log entries to (default: bench-worker-<pid>-core.log in the temp dir). */
  coreLogFile?: string;
  /** Counts of those entries, from each process about once a second; default: one summary line per 5 s through `log`. */
  onCoreLog?: (groups: CoreLogGroup[]) => void;
}

function positiveInt(flag: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new UsageError(`--${flag} must be a positive integer, got ${value}`);
}

function nonNegative(flag: string, value: number | undefined, integer: boolean): void {
  if (value === undefined) return;
  const ok = Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value));
  if (!ok) throw new UsageError(`--${flag} must be a non-negative ${integer ? 'integer' : 'number'}, got ${value}`);
}

/** Rejects what the SDK would reject later inside a child, with the flag name the user typed. */
export function validatePoolOptions(o: WorkerPoolOptions): void {
  if (!o.connection.address) throw new UsageError('no Temporal address: pass --address or start a local stack');
  if (!o.taskQueue || o.taskQueue.trim() !== o.taskQueue) throw new UsageError(`--task-queue must be a non-empty name without surrounding spaces, got ${JSON.stringify(o.taskQueue)}`);
  positiveInt('processes', o.processes);
  if (o.processes > 64) throw new UsageError(`--processes ${o.processes} is more than 64: run several bench worker commands (or hosts) instead`);
  positiveInt('workflow-slots', o.workflowSlots);
  positiveInt('activity-slots', o.activitySlots);
  positiveInt('local-activity-slots', o.localActivitySlots);
  positiveInt('workflow-pollers', o.workflowPollers);
  positiveInt('activity-pollers', o.activityPollers);
  nonNegative('max-cached-workflows', o.maxCachedWorkflows, true);
  nonNegative('sticky-timeout-ms', o.stickyScheduleToStartTimeoutMs, true);
  for (const [flag, value] of [
    ['task-queue-activities-per-second', o.taskQueueActivitiesPerSecond],
    ['worker-activities-per-second', o.workerActivitiesPerSecond],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new UsageError(`--${flag} must be a positive number, got ${value}`);
  }
  if (o.sticky === false && o.maxCachedWorkflows) throw new UsageError('--no-sticky needs a workflow cache of 0; drop --max-cached-workflows');
  const caching = o.sticky !== false && o.maxCachedWorkflows !== 0;
  if (caching && o.workflowSlots === 1) throw new UsageError('--workflow-slots must be at least 2 with a workflow cache (or pass --no-sticky)');
  if (o.workflowSlots !== undefined && o.workflowPollers !== undefined && o.workflowPollers > o.workflowSlots) {
    throw new UsageError(`--workflow-pollers (${o.workflowPollers}) cannot exceed --workflow-slots (${o.workflowSlots})`);
  }
  if (o.activitySlots !== undefined && o.activityPollers !== undefined && o.activityPollers > o.activitySlots) {
    throw new UsageError(`--activity-pollers (${o.activityPollers}) cannot exceed --activity-slots (${o.activitySlots})`);
  }
  if (o.statsPort !== undefined && !(Number.isInteger(o.statsPort) && o.statsPort >= 0 && o.statsPort <= 65535)) {
    throw new UsageError(`--stats-port must be a port number (0 = any free port), got ${o.statsPort}`);
  }
  if (o.kinds && o.kinds.length === 0) throw new UsageError('--kinds needs at least one workflow kind');
  for (const kind of o.kinds ?? []) {
    try {
      findKind(kind);
    } catch (err) {
      throw new UsageError(`--kinds: ${(err as Error).message.replace(/^workflow kind: /, '')}`);
    }
  }
}

/** The SDK options for the tuning knobs; only the ones that are set, so SDK defaults stay defaults. */
export function sdkTuning(t: WorkerTuning): Partial<WorkerOptions> {
  const options: Partial<WorkerOptions> = {
    maxConcurrentWorkflowTaskExecutions: t.workflowSlots,
    maxConcurrentActivityTaskExecutions: t.activitySlots,
    maxConcurrentLocalActivityExecutions: t.localActivitySlots,
    maxConcurrentWorkflowTaskPolls: t.workflowPollers,
    maxConcurrentActivityTaskPolls: t.activityPollers,
    // The SDK has no separate sticky switch: no cache means no sticky queue.
    maxCachedWorkflows: t.sticky === false ? 0 : t.maxCachedWorkflows,
    stickyQueueScheduleToStartTimeout: t.stickyScheduleToStartTimeoutMs,
    maxTaskQueueActivitiesPerSecond: t.taskQueueActivitiesPerSecond,
    maxActivitiesPerSecond: t.workerActivitiesPerSecond,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

import type { ConnectionConfig } from '../core/connection.js';
import type { CoreLogGroup } from './core-log-summary.js';
import type { WorkerTuning } from './options.js';

/** What the supervisor tells a worker process to run (sent once, over IPC with structured clone). */
export interface ChildConfig extends WorkerTuning {
  connection: ConnectionConfig;
  taskQueue: string;
  /** Prebuilt workflow bundle (built once by the supervisor, not once per process). */
  bundlePath: string;
  host: string;
  /** The file every process of the pool appends the SDK core's log entries to, in full. */
  coreLogFile: string;
}

/**
 * Finished non-child workflows of one task queue that were meant to start in [startMs, startMs + 1 s)
 * (the runner's intended time, from the memo; the server's start time when absent) and finished in the
 * reporting period [periodMs, periodMs + 1 s).
 */
export interface E2EBucket {
  taskQueue: string;
  startMs: number;
  periodMs: number;
  /** HDR histogram of end-to-end latency in microseconds (metrics/histogram.ts encoding). */
  histogram: string;
  completed: number;
  failed: number;
  canceled: number;
}

export type ParentMessage = { type: 'start'; config: ChildConfig } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; sdkMetricsAddress: string; metricsAddress: string }
  /** Every completion before `watermarkMs` has been reported (in this or an earlier message). */
  | { type: 'report'; watermarkMs: number; buckets: E2EBucket[] }
  /** SDK core log entries since the last such message, counted (the entries are in coreLogFile). */
  | { type: 'coreLog'; groups: CoreLogGroup[] }
  /** Worker.create or run failed: one line for the user. */
  | { type: 'error'; message: string }
  /** Drained and flushed: the last report has been sent. */
  | { type: 'stopped' };

export const intervalMs = 1000;

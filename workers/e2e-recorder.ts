import { encodeHistogram, newHistogram, recordMs, type Histogram } from '../metrics/histogram.js';
import type { CompletionEvent } from '../workflows/sinks.js';
import { intervalMs, type E2EBucket } from './messages.js';

interface OpenBucket {
  taskQueue: string;
  startMs: number;
  periodMs: number;
  histogram: Histogram;
  completed: number;
  failed: number;
  canceled: number;
}

/**
 * A worker process's end-to-end latencies, bucketed by the second each workflow was meant to start in
 * (so a slow workflow counts in the window it belongs to, however late it finishes) and reported per
 * wall-clock second of completion; seconds line up across processes and hosts and merge exactly.
 */
export class E2ERecorder {
  private readonly open = new Map<string, OpenBucket>();
  readonly totals = { completed: 0, failed: 0, canceled: 0, children: 0 };

  constructor(private readonly now: () => number = Date.now) {}

  record(event: CompletionEvent): void {
    if (event.isChild) {
      this.totals.children++;
      return;
    }
    const now = this.now();
    const periodMs = Math.floor(now / intervalMs) * intervalMs;
    const startMs = Math.floor((event.intendedMs ?? event.startTimeMs) / intervalMs) * intervalMs;
    const key = `${event.taskQueue}\u0000${periodMs}\u0000${startMs}`;
    let bucket = this.open.get(key);
    if (!bucket) {
      bucket = { taskQueue: event.taskQueue, startMs, periodMs, histogram: newHistogram(), completed: 0, failed: 0, canceled: 0 };
      this.open.set(key, bucket);
    }
    // Server clock vs worker clock: a negative difference is skew, not a latency; record the minimum.
    recordMs(bucket.histogram, Math.max(0, now - event.startTimeMs));
    bucket[event.status]++;
    this.totals[event.status]++;
  }

  /** Removes and returns the buckets whose reporting period ended by `watermarkMs` (all of them with Infinity). */
  take(watermarkMs: number): E2EBucket[] {
    const out: E2EBucket[] = [];
    for (const [key, b] of this.open) {
      if (b.periodMs + intervalMs > watermarkMs) continue;
      this.open.delete(key);
      out.push({ taskQueue: b.taskQueue, startMs: b.startMs, periodMs: b.periodMs, histogram: encodeHistogram(b.histogram), completed: b.completed, failed: b.failed, canceled: b.canceled });
    }
    return out;
  }
}

/** The start of the current interval: everything before it is complete. */
export function currentWatermark(now = Date.now()): number {
  return Math.floor(now / intervalMs) * intervalMs;
}

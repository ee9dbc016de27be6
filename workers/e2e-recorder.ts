import { encodeHistogram, newHistogram, recordMs, type Histogram } from '../metrics/histogram.js';
import type { CompletionEvent } from '../workflows/sinks.js';
import { intervalMs, type E2EBucket } from './messages.js';

interface OpenBucket {
  taskQueue: string;
  startMs: number;
  histogram: Histogram;
  completed: number;
  failed: number;
  canceled: number;
}

/**
 * A worker process's end-to-end latencies, bucketed by the wall-clock second each workflow finished
 * in, so buckets from several processes (or hosts) line up and merge exactly.
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
    const startMs = Math.floor(now / intervalMs) * intervalMs;
    const key = `${event.taskQueue}\u0000${startMs}`;
    let bucket = this.open.get(key);
    if (!bucket) {
      bucket = { taskQueue: event.taskQueue, startMs, histogram: newHistogram(), completed: 0, failed: 0, canceled: 0 };
      this.open.set(key, bucket);
    }
    // Server clock vs worker clock: a negative difference is skew, not a latency; record the minimum.
    recordMs(bucket.histogram, Math.max(0, now - event.startTimeMs));
    bucket[event.status]++;
    this.totals[event.status]++;
  }

  /** Removes and returns the buckets that ended by `watermarkMs` (all of them with Infinity). */
  take(watermarkMs: number): E2EBucket[] {
    const out: E2EBucket[] = [];
    for (const [key, b] of this.open) {
      if (b.startMs + intervalMs > watermarkMs) continue;
      this.open.delete(key);
      out.push({ taskQueue: b.taskQueue, startMs: b.startMs, histogram: encodeHistogram(b.histogram), completed: b.completed, failed: b.failed, canceled: b.canceled });
    }
    return out;
  }
}

/** The start of the current interval: everything before it is complete. */
export function currentWatermark(now = Date.now()): number {
  return Math.floor(now / intervalMs) * intervalMs;
}

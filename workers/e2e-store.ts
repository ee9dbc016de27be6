import crypto from 'node:crypto';
import { encodeHistogram, mergeEncoded, newHistogram } from '../metrics/histogram.js';
import { currentWatermark } from './e2e-recorder.js';
import { intervalMs, type E2EBucket } from './messages.js';
import type { E2EInterval, E2ESnapshot } from './stats-client.js';

interface Pending {
  /** The processes' encoded buckets for this second: merged once, when the period closes (one part is passed on as is). */
  parts: string[];
  completed: number;
  failed: number;
  canceled: number;
  byProcess: Map<string, number>;
}

interface Queue {
  /** Per reporting period (completion second), per intended start second. */
  pending: Map<number, Map<number, Pending>>;
  closed: E2EInterval[];
  nextSeq: number;
  /** Intervals ending at or before this are closed. */
  closedUntil: number;
  /** The whole run's merge, encoded, up to the intervals in totalParts (merged in when a reader asks, or every 600). */
  totalEncoded: string;
  totalParts: string[];
  counts: { completed: number; failed: number; canceled: number };
  byProcess: Map<string, number>;
  /** The highest afterSeq a reader asked with: it holds every interval up to it. */
  readUpTo: number;
}

let empty: string | undefined;
const emptyEncoded = () => (empty ??= encodeHistogram(newHistogram()));

/** Merges the intervals closed since into the whole-run total; returns it encoded. */
function compactTotal(q: Queue): string {
  if (q.totalParts.length > 0) q.totalEncoded = encodeHistogram(mergeEncoded([q.totalEncoded, ...q.totalParts.splice(0)]));
  return q.totalEncoded;
}

/** A day of 1 s intervals per task queue; totals keep counting past it. */
const maxIntervals = 86_400;

/**
 * The supervisor's merge of every process's buckets. A reporting period closes once every live process
 * has reported past its end (its watermark); it is then listed as one interval per intended start second
 * it holds, final and the same for every reader.
 */
export class E2EStore {
  private readonly queues = new Map<string, Queue>();
  private readonly watermarks = new Map<string, number>();
  private ended = false;
  private readonly readWaiters: (() => void)[] = [];
  /** Sent with every snapshot: readers keep one cursor per instance (see E2ESnapshot.instance). */
  readonly instance = crypto.randomUUID();

  constructor(
    taskQueues: string[],
    private readonly now: () => number = Date.now,
  ) {
    for (const tq of taskQueues) this.queue(tq);
  }

  private queue(taskQueue: string): Queue {
    let q = this.queues.get(taskQueue);
    if (!q) {
      q = { pending: new Map(), closed: [], nextSeq: 1, closedUntil: currentWatermark(this.now()), totalEncoded: emptyEncoded(), totalParts: [], counts: { completed: 0, failed: 0, canceled: 0 }, byProcess: new Map(), readUpTo: 0 };
      this.queues.set(taskQueue, q);
    }
    return q;
  }

  /** A process that will report: intervals wait for it from now on. */
  addProcess(id: string): void {
    this.watermarks.set(id, currentWatermark(this.now()));
  }

  /** Buckets from one process; watermark Infinity means it sent its last report. */
  report(id: string, watermarkMs: number, buckets: E2EBucket[]): void {
    for (const b of buckets) {
      const q = this.queue(b.taskQueue);
      // Only possible for a queue first seen now; keep the counts exact, place it in the next period.
      const periodMs = Math.max(b.periodMs, q.closedUntil);
      let period = q.pending.get(periodMs);
      if (!period) q.pending.set(periodMs, (period = new Map()));
      let p = period.get(b.startMs);
      if (!p) period.set(b.startMs, (p = { parts: [], completed: 0, failed: 0, canceled: 0, byProcess: new Map() }));
      p.parts.push(b.histogram);
      p.completed += b.completed;
      p.failed += b.failed;
      p.canceled += b.canceled;
      p.byProcess.set(id, (p.byProcess.get(id) ?? 0) + b.completed + b.failed + b.canceled);
    }
    if (watermarkMs === Infinity) this.watermarks.delete(id);
    else if (this.watermarks.has(id)) this.watermarks.set(id, Math.max(this.watermarks.get(id)!, watermarkMs));
    this.close();
  }

  /** A process that exited without its last report (crashed): stop waiting for it. */
  removeProcess(id: string): void {
    this.watermarks.delete(id);
    this.close();
  }

  /** No process will report any more: close everything up to now. */
  end(): void {
    this.ended = true;
    this.close();
    if (this.readWaiters.length && this.allRead()) for (const resolve of this.readWaiters.splice(0)) resolve();
  }

  private close(): void {
    let until: number;
    if (this.watermarks.size > 0) until = Math.min(...this.watermarks.values());
    else if (this.ended) until = Math.max(currentWatermark(this.now()) + intervalMs, ...[...this.queues.values()].flatMap((q) => [...q.pending.keys()].map((s) => s + intervalMs)));
    else return;
    for (const q of this.queues.values()) {
      for (let period = q.closedUntil; period + intervalMs <= until; period += intervalMs) {
        const seconds = q.pending.get(period) ?? new Map<number, Pending>();
        q.pending.delete(period);
        // An empty period is listed too (at its own second): readers see how far reports have come.
        const listed = seconds.size > 0 ? [...seconds].sort((a, b) => a[0] - b[0]) : [[period, undefined] as const];
        for (const [start, p] of listed) {
          q.closed.push({
            seq: q.nextSeq++,
            startMs: start,
            endMs: start + intervalMs,
            reportedUntilMs: period + intervalMs,
            histogram: !p ? emptyEncoded() : p.parts.length === 1 ? p.parts[0]! : encodeHistogram(mergeEncoded(p.parts)),
            completed: p?.completed ?? 0,
            failed: p?.failed ?? 0,
            canceled: p?.canceled ?? 0,
          });
          if (!p) continue;
          q.totalParts.push(q.closed.at(-1)!.histogram);
          if (q.totalParts.length >= 600) compactTotal(q);
          for (const k of ['completed', 'failed', 'canceled'] as const) q.counts[k] += p[k];
          for (const [id, n] of p.byProcess) q.byProcess.set(id, (q.byProcess.get(id) ?? 0) + n);
        }
        q.closedUntil = period + intervalMs;
      }
      if (q.closed.length > maxIntervals) q.closed.splice(0, q.closed.length - maxIntervals);
    }
  }

  /** For every task queue: its last closed seq and the highest afterSeq a reader asked with. */
  readProgress(): { taskQueue: string; lastSeq: number; readUpTo: number }[] {
    return [...this.queues].map(([taskQueue, q]) => ({ taskQueue, lastSeq: q.nextSeq - 1, readUpTo: q.readUpTo }));
  }

  /** end() was called and a reader has fetched every closed interval of every task queue. */
  allRead(): boolean {
    return this.ended && [...this.queues.values()].every((q) => q.readUpTo >= q.nextSeq - 1);
  }

  /** Resolves once allRead() holds (a reader's GET with afterSeq at or past the last seq of each queue). */
  whenAllRead(): Promise<void> {
    if (this.allRead()) return Promise.resolve();
    return new Promise((resolve) => this.readWaiters.push(resolve));
  }

  /** Intervals with seq > afterSeq; asking with afterSeq N also tells the store the reader holds 1..N. */
  snapshot(taskQueue: string, afterSeq = 0, totalsHistogram = true): E2ESnapshot {
    const q = this.queues.get(taskQueue);
    if (!q) return { taskQueue, instance: this.instance, final: this.ended, intervals: [], totals: { completed: 0, failed: 0, canceled: 0, histogram: emptyEncoded(), byProcess: {} } };
    q.readUpTo = Math.max(q.readUpTo, afterSeq);
    if (this.readWaiters.length && this.allRead()) for (const resolve of this.readWaiters.splice(0)) resolve();
    return {
      taskQueue,
      instance: this.instance,
      final: this.ended,
      // seq is contiguous, so the first interval after afterSeq is found by arithmetic.
      intervals: q.closed.slice(Math.max(0, afterSeq - (q.closed[0]?.seq ?? 1) + 1)),
      totals: { ...q.counts, ...(totalsHistogram ? { histogram: compactTotal(q) } : {}), byProcess: Object.fromEntries(q.byProcess) },
    };
  }
}

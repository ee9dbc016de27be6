import { tagKey } from './thresholds.js';

/**
 * What one generator measured in one 1-s interval (index k covers [t0 + k s, t0 + k+1 s)).
 * Counters are a flat map keyed like threshold data (`errors`, `errors{kind:chain}`,
 * `errors{code:UNAVAILABLE}`, `sent`, `started{kind:noop}`, ...) so merging is adding. Latencies
 * are the raw whole-microsecond samples: the coordinator records them into its HDR histograms,
 * which is bucket-for-bucket the same as merging per-process histograms, and keeps the costly
 * HDR work (encoding, merging, percentiles) off the generator's event loop.
 */
export interface IntervalSnapshot {
  index: number;
  counts: Record<string, number>;
  samplesUs: Record<string, Uint32Array>;
  inFlight: number;
  queued: number;
  health: GeneratorHealth;
}

export interface GeneratorHealth {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  cpuPercent: number;
  rssMb: number;
}

interface Bucket {
  counts: Record<string, number>;
  samples: Record<string, number[]>;
}

/** Milliseconds (fractional) to the whole microseconds HDR records: at least 1 (metrics/histogram.ts recordMs). */
export const toUs = (ms: number) => Math.max(1, Math.round(ms * 1000));

export class IntervalRecorder {
  private buckets = new Map<number, Bucket>();
  private emitted = -1;

  constructor(private readonly t0Perf: number) {}

  indexAt(nowPerf: number): number {
    return Math.max(0, Math.floor((nowPerf - this.t0Perf) / 1000));
  }

  private bucket(nowPerf: number): Bucket {
    // Data for an interval already emitted (a late callback in the same tick) goes to the next open one.
    const index = Math.max(this.indexAt(nowPerf), this.emitted + 1);
    let b = this.buckets.get(index);
    if (!b) this.buckets.set(index, (b = { counts: {}, samples: {} }));
    return b;
  }

  /** Records a latency for `metric` and, with a kind tag, for `metric{kind:tag}` too. */
  latency(nowPerf: number, metric: string, ms: number, kind?: string): void {
    const b = this.bucket(nowPerf);
    const us = toUs(ms);
    (b.samples[metric] ??= []).push(us);
    if (kind !== undefined) (b.samples[tagKey(metric, { kind })] ??= []).push(us);
  }

  /** Adds to `name`, and with tags to `name{tag:value}` for each tag separately. */
  count(nowPerf: number, name: string, tags: Record<string, string | undefined> = {}, n = 1): void {
    const b = this.bucket(nowPerf);
    b.counts[name] = (b.counts[name] ?? 0) + n;
    for (const [k, v] of Object.entries(tags)) {
      if (v === undefined) continue;
      const key = tagKey(name, { [k]: v });
      b.counts[key] = (b.counts[key] ?? 0) + n;
    }
  }

  /** True when an interval ended that takeClosed has not returned yet. */
  hasClosed(nowPerf: number): boolean {
    return this.indexAt(nowPerf) - 1 > this.emitted;
  }

  /** Every interval that ended before nowPerf and was not emitted yet, in order (empty ones too). */
  takeClosed(nowPerf: number, inFlight: number, queued: number, health: GeneratorHealth, all = false): IntervalSnapshot[] {
    const current = this.indexAt(nowPerf);
    const last = all ? Math.max(current, ...this.buckets.keys()) : current - 1;
    const out: IntervalSnapshot[] = [];
    for (let index = this.emitted + 1; index <= last; index++) {
      const b = this.buckets.get(index) ?? { counts: {}, samples: {} };
      this.buckets.delete(index);
      const samplesUs = Object.fromEntries(Object.entries(b.samples).map(([k, v]) => [k, Uint32Array.from(v)]));
      out.push({ index, counts: b.counts, samplesUs, inFlight, queued, health });
      this.emitted = index;
    }
    return out;
  }
}

import { tagKey } from '../recorder/thresholds.js';

/**
 * What one generator measured for one 1-s interval of *intended* time (index k covers arrivals
 * intended in [t0 + k s, t0 + k+1 s)): every outcome of an arrival counts where the arrival was meant
 * to happen, however late the answer came. Counters are a flat map keyed like threshold data
 * (`errors`, `errors{kind:chain}`, `errors{code:UNAVAILABLE}`, `sent`, `started{kind:noop}`, ...) so
 * merging is adding; latencies are raw whole-microsecond samples the coordinator records into its HDR
 * histograms (bucket-for-bucket the same as merging per-process histograms).
 *
 * An interval is reported when its wall-clock second ends (`first`: with the generator's health,
 * in-flight and queue at that moment), then again as a delta whenever a late outcome arrives. It is
 * final once `pending` (calls intended in it still without an outcome, queued arrivals included) is 0.
 */
export interface IntervalSnapshot {
  index: number;
  counts: Record<string, number>;
  samplesUs: Record<string, Uint32Array>;
  /** Calls intended in this interval still without an outcome, as of this snapshot. */
  pending: number;
  /** Seconds from t0 when the snapshot was taken (an outcome after its phase ended is "late"). */
  atS: number;
  /** Only on an interval's first report: the generator's state when the interval's second ended. */
  first?: { inFlight: number; queued: number; health: GeneratorHealth };
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
  pending: number;
  dirty: boolean;
}

/** Milliseconds (fractional) to the whole microseconds HDR records: at least 1 (metrics/histogram.ts recordMs). */
export const toUs = (ms: number) => Math.max(1, Math.round(ms * 1000));

export class IntervalRecorder {
  private buckets = new Map<number, Bucket>();
  /** `name{tag:value}` keys by name, tag and value: built once, not per call (the hot path at 2,000/s). */
  private readonly keys = new Map<string, Map<string, Map<string, string>>>();
  /** Intervals up to this one had their first report. */
  private reported = -1;

  constructor(private readonly t0Perf: number) {}

  /** When the interval holding `perf` ends (performance-clock ms). */
  intervalEndAt(perf: number): number {
    return this.t0Perf + (this.indexAt(perf) + 1) * 1000;
  }

  indexAt(perf: number): number {
    return Math.max(0, Math.floor((perf - this.t0Perf) / 1000));
  }

  private bucket(intendedPerf: number): Bucket {
    const index = this.indexAt(intendedPerf);
    let b = this.buckets.get(index);
    if (!b) this.buckets.set(index, (b = { counts: {}, samples: {}, pending: 0, dirty: false }));
    b.dirty = true;
    return b;
  }

  /** A call intended at `intendedPerf` is under way (or queued): its interval is not final until it ends. */
  begin(intendedPerf: number, n = 1): void {
    this.bucket(intendedPerf).pending += n;
  }

  /** A call intended at `intendedPerf` has its outcome (recorded before or with this). */
  end(intendedPerf: number, n = 1): void {
    this.bucket(intendedPerf).pending -= n;
  }

  /** Records a latency for `metric` (and `metric{kind:tag}`) against the interval of the intended time. */
  latency(intendedPerf: number, metric: string, ms: number, kind?: string): void {
    const b = this.bucket(intendedPerf);
    const us = toUs(ms);
    (b.samples[metric] ??= []).push(us);
    if (kind !== undefined) (b.samples[this.key(metric, 'kind', kind)] ??= []).push(us);
  }

  private key(name: string, tag: string, value: string): string {
    let byTag = this.keys.get(name);
    if (!byTag) this.keys.set(name, (byTag = new Map()));
    let byValue = byTag.get(tag);
    if (!byValue) byTag.set(tag, (byValue = new Map()));
    let key = byValue.get(value);
    if (key === undefined) byValue.set(value, (key = tagKey(name, { [tag]: value })));
    return key;
  }

  /** Adds to `name`, and with tags to `name{tag:value}` for each tag, in the interval of the intended time. */
  count(intendedPerf: number, name: string, tags: Record<string, string | undefined> = {}, n = 1): void {
    const b = this.bucket(intendedPerf);
    b.counts[name] = (b.counts[name] ?? 0) + n;
    for (const k in tags) {
      const v = tags[k];
      if (v === undefined) continue;
      const key = this.key(name, k, v);
      b.counts[key] = (b.counts[key] ?? 0) + n;
    }
  }

  /** The newest interval that may have its first report: its second ended and every arrival meant in it was issued. */
  private lastReportable(nowPerf: number, issuedUntilPerf: number): number {
    return Math.min(this.indexAt(nowPerf), issuedUntilPerf === Infinity ? Infinity : Math.floor((issuedUntilPerf - this.t0Perf) / 1000)) - 1;
  }

  /** Seconds that ended and have not had their first report (0: the recorder is up to date). */
  unreported(nowPerf: number): number {
    return Math.max(0, this.indexAt(nowPerf) - 1 - this.reported);
  }

  /** True when there is something to report: an interval's second ended, or a late outcome arrived. */
  hasNews(nowPerf: number, issuedUntilPerf = Infinity): boolean {
    if (this.lastReportable(nowPerf, issuedUntilPerf) > this.reported) return true;
    for (const [index, b] of this.buckets) if (b.dirty && index <= this.reported) return true;
    return false;
  }

  /**
   * Every interval whose second ended and was not reported yet (empty ones too, in order, with the
   * generator's state), then deltas of reported intervals that changed. Final intervals are forgotten.
   * `issuedUntilPerf`: the intended time of the next arrival not issued yet (a late timer must not let
   * an interval look final before its last arrival went out). `all`: the run is over, report every
   * interval up to the newest data.
   */
  take(nowPerf: number, inFlight: number, queued: number, health: GeneratorHealth, issuedUntilPerf = Infinity, all = false): IntervalSnapshot[] {
    const last = all ? Math.max(this.indexAt(nowPerf), ...this.buckets.keys()) : this.lastReportable(nowPerf, issuedUntilPerf);
    const atS = (nowPerf - this.t0Perf) / 1000;
    const out: IntervalSnapshot[] = [];
    for (const [index, b] of [...this.buckets].sort((x, y) => x[0] - y[0])) {
      if (index > this.reported || !b.dirty) continue;
      out.push(this.snapshot(index, b, atS));
    }
    for (let index = this.reported + 1; index <= last; index++) {
      const b = this.buckets.get(index) ?? { counts: {}, samples: {}, pending: 0, dirty: false };
      out.push({ ...this.snapshot(index, b, atS), first: { inFlight, queued, health } });
      this.reported = index;
    }
    for (const [index, b] of this.buckets) if (index <= this.reported && b.pending === 0) this.buckets.delete(index);
    return out;
  }

  private snapshot(index: number, b: Bucket, atS: number): IntervalSnapshot {
    const samplesUs = Object.fromEntries(Object.entries(b.samples).map(([k, v]) => [k, Uint32Array.from(v)]));
    const snap = { index, counts: b.counts, samplesUs, pending: b.pending, atS };
    b.counts = {};
    b.samples = {};
    b.dirty = false;
    return snap;
  }
}

import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { addEncodedInto, encodeHistogram, mergeEncoded, newHistogram, summarize, type Histogram } from '../../metrics/histogram.js';
import { IntervalRecorder } from '../../generator/interval-recorder.js';
import { Timeline } from '../../recorder/timeline.js';

/** Deterministic pseudo-random latencies (ms), long-tailed like real ones. */
function latencies(seed: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const u = x / 2 ** 32;
    return 0.2 + 5 / (1 - u * 0.999);
  });
}

/**
 * Every non-empty bucket and its count: equal for two histograms exactly when they hold the same
 * samples at HDR resolution. (Their encodings may still differ in the header, which records how far
 * each auto-resized.)
 */
function bucketCounts(h: Histogram): [number, number][] {
  const b = h as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number };
  const out: [number, number][] = [];
  for (let i = 0; i < b.countsArrayLength; i++) if (b.getCountAtIndex(i) !== 0) out.push([i, b.getCountAtIndex(i)]);
  return out;
}

function checkAgainstLibrary(h: Histogram): void {
  const ms = (us: number) => Math.round(us) / 1000;
  expect(summarize(h)).toEqual({
    count: h.totalCount,
    min: ms(h.minNonZeroValue),
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  });
}

const health = { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, cpuPercent: 0, rssMb: 0 };

describe('histogram merge across generator processes', () => {
  it('per-process HDR histograms merge exactly into the histogram of all samples', () => {
    const a = latencies(1, 5000);
    const b = latencies(2, 3000);
    const ha = newHistogram();
    const hb = newHistogram();
    const all = newHistogram();
    for (const v of a) ha.recordValue(Math.round(v * 1000));
    for (const v of b) hb.recordValue(Math.round(v * 1000));
    for (const v of [...a, ...b]) all.recordValue(Math.round(v * 1000));
    // As they travel between processes: compressed base64, decoded and merged.
    const merged = mergeEncoded([encodeHistogram(ha), encodeHistogram(hb)]);
    expect(merged.totalCount).toBe(8000);
    // Bucket for bucket: count, mean and every percentile agree; min and max survive the
    // encoding at bucket resolution (3 significant digits).
    const { min: min1, max: max1, ...mergedStats } = summarize(merged);
    const { min: min2, max: max2, ...allStats } = summarize(all);
    expect(mergedStats).toEqual(allStats);
    expect(Math.abs(max1 - max2) / max2).toBeLessThan(0.001);
    expect(Math.abs(min1 - min2) / min2).toBeLessThan(0.001);
    expect(bucketCounts(merged)).toEqual(bucketCounts(all));
  });

  it('merges raw counts exactly across sizes, big counts and wide ranges, and adds parts of another layout by value', () => {
    const small = newHistogram();
    small.recordValueWithCount(3, 2 ** 31 + 7); // a count needing a 5-byte varint and more than 32 bits of sum
    const wide = newHistogram();
    for (const us of [1, 999, 1000, 1001, 65_535, 3_600_000_000]) wide.recordValue(us); // 1 µs to 1 h
    const empty = newHistogram();
    // A foreign .hlog's histogram: 2 significant digits, so its bucket index means another value range.
    const foreign = hdr.build({ numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1, highestTrackableValue: 2, autoResize: true, useWebAssembly: false });
    foreign.recordValueWithCount(50_000, 10);
    const parts = [small, wide, empty, foreign].map(encodeHistogram);
    const merged = mergeEncoded(parts);
    // What the library's own decoder and add make of the same parts (max and min at bucket resolution).
    const reference = newHistogram();
    for (const part of parts) reference.add(hdr.decodeFromCompressedBase64(part, 32, false));
    expect(merged.totalCount).toBe(2 ** 31 + 7 + 6 + 10);
    expect(bucketCounts(merged)).toEqual(bucketCounts(reference));
    expect(merged.maxValue).toBe(reference.maxValue);
    expect(merged.minNonZeroValue).toBe(reference.minNonZeroValue);
    expect(mergeEncoded([encodeHistogram(empty)]).totalCount).toBe(0);
  });

  it("summarizes with the library's own mean and percentile values", () => {
    const one = newHistogram();
    one.recordValue(1234);
    // Totals above 2^32 (a bucket itself holds at most 2^32 - 1: 32-bit buckets).
    const big = newHistogram();
    big.recordValueWithCount(3, 2 ** 31 + 7);
    big.recordValueWithCount(70_000, 2 ** 31);
    for (const seed of [5, 6, 7]) {
      const h = newHistogram();
      for (const v of latencies(seed, 1000 * seed)) h.recordValue(Math.round(v * 1000));
      checkAgainstLibrary(h);
    }
    checkAgainstLibrary(one);
    checkAgainstLibrary(big);
  });

  it('encodes byte for byte as hdr-histogram-js does (empty, wide, big counts, long tails)', () => {
    const empty = newHistogram();
    const wide = newHistogram();
    for (const us of [1, 2, 999, 1000, 1001, 65_535, 20_000_000, 3_600_000_000]) wide.recordValue(us);
    const big = newHistogram();
    big.recordValueWithCount(3, 2 ** 32 - 1); // the most a 32-bit bucket holds: a 5-byte word
    big.recordValueWithCount(70_000, 2 ** 31);
    const tail = newHistogram();
    for (const v of latencies(4, 5000)) tail.recordValue(Math.round(v * 1000));
    for (const h of [empty, wide, big, tail]) expect(encodeHistogram(h)).toBe(hdr.encodeIntoCompressedBase64(h));
  });

  it('adds encoded parts into a histogram exactly as a decode and add would, without decoding each', () => {
    const wide = newHistogram();
    for (const us of [1, 999, 1000, 1001, 65_535, 20_000_000]) wide.recordValue(us);
    const tail = newHistogram();
    for (const v of latencies(3, 500)) tail.recordValue(Math.round(v * 1000));
    const foreign = hdr.build({ numberOfSignificantValueDigits: 2, lowestDiscernibleValue: 1, highestTrackableValue: 2, autoResize: true, useWebAssembly: false });
    foreign.recordValueWithCount(50_000, 10);
    const parts = [wide, tail, newHistogram(), foreign].map(encodeHistogram);
    const into = newHistogram();
    const added = parts.map((p) => addEncodedInto(into, p));
    const reference = mergeEncoded(parts);
    expect(added.map((a) => a.count)).toEqual([6, 500, 0, 10]);
    expect(added[0]!.maxUs).toBe(mergeEncoded([parts[0]!]).maxValue);
    expect(bucketCounts(into)).toEqual(bucketCounts(reference));
    expect(summarize(into)).toEqual(summarize(reference));
  });

  it("the coordinator's timeline merges two generators' intervals exactly", () => {
    const t0 = performance.now();
    const recorders = [new IntervalRecorder(t0), new IntervalRecorder(t0)];
    const samples = [latencies(3, 400), latencies(4, 600)];
    const reference = newHistogram();
    samples.forEach((list, g) =>
      list.forEach((ms, i) => {
        // Spread over intervals 0 and 1, 5 ms clear of the boundary (epoch/monotonic rounding).
        const at = t0 + ((i * 10) % 2000) + 5;
        recorders[g]!.latency(at, 'start', ms, g === 0 ? 'noop' : 'chain');
        recorders[g]!.count(at, 'started', { kind: g === 0 ? 'noop' : 'chain' });
        reference.recordValue(Math.max(1, Math.round(ms * 1000)));
      }),
    );
    const timeline = new Timeline(performance.timeOrigin + t0, 2, undefined, 2, 0, 0);
    recorders.forEach((r, g) => r.take(t0 + 2500, 0, 0, health, Infinity, true).forEach((s) => timeline.addSnapshot(g, s)));
    const totals = timeline.totals(['steady']);
    expect(totals.counts.started).toBe(1000);
    expect(totals.counts['started{kind:chain}']).toBe(600);
    expect(totals.histograms.get('start')!.totalCount).toBe(1000);
    expect(totals.histograms.get('start{kind:noop}')!.totalCount).toBe(400);
    expect(bucketCounts(totals.histograms.get('start')!)).toEqual(bucketCounts(reference));
    const records = timeline.records();
    expect(records.map((r) => r.started)).toEqual([500, 500, 0]);
    expect(records[0]!.latencyMs.start!.count + records[1]!.latencyMs.start!.count).toBe(1000);
  });
});

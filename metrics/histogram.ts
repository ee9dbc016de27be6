import * as hdr from 'hdr-histogram-js';
import { CountsAccumulator } from './histogram-counts.js';
import { encodeCompressedV2, type EncodableHistogram } from './histogram-encode.js';

/**
 * HDR histograms of latencies in microseconds (integers), 3 significant digits, auto-resizing, pure
 * JS (no WASM memory to free). This file is the one place histograms are created, encoded and
 * merged, whether they come from one process, several generator processes or several worker hosts.
 */
export type Histogram = hdr.Histogram;

const significantDigits = 3;
const lowestDiscernibleValue = 1;

export function newHistogram(highestTrackableValue = 2): Histogram {
  return hdr.build({
    // 32-bit buckets: 'packed' saves memory but is ~30x slower to merge, encode and read percentiles.
    bitBucketSize: 32,
    numberOfSignificantValueDigits: significantDigits,
    lowestDiscernibleValue,
    // Sized by what is recorded (auto-resize), not for an hour up front: a 10-ms histogram has 8k
    // buckets instead of 24k, so creating, decoding, adding and reading one costs a third.
    highestTrackableValue,
    autoResize: true,
    useWebAssembly: false,
  });
}

/** Records a duration given in milliseconds (fractional allowed) as whole microseconds, at least 1. */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export function encodeHistogram(histogram: Histogram): string {
  return encodeCompressedV2(histogram as unknown as EncodableHistogram);
}

export function decodeHistogram(base64: string): Histogram {
  return mergeEncoded([base64]);
}

/** Reused by every merge (merges are synchronous, one at a time). */
const scratch = new CountsAccumulator(significantDigits, lowestDiscernibleValue);

/**
 * Merges encoded histograms exactly (bucket by bucket: counts add up, percentiles are of the union).
 * Parts of this file's layout are summed as raw counts, one histogram built at the end; a part of
 * another layout (a foreign .hlog) is decoded and added bucket by bucket.
 */
export function mergeEncoded(parts: Iterable<string>): Histogram {
  const sum = scratch;
  sum.clear();
  const foreign: Histogram[] = [];
  for (const part of parts) if (!sum.addEncoded(part)) foreign.push(hdr.decodeFromCompressedBase64(part, 32, false));
  const merged = fromCounts(sum);
  for (const other of foreign) merged.add(other);
  return merged;
}

/**
 * Adds an encoded histogram into `into` exactly, bucket by bucket, without building one for it: a
 * worker's interval holds a few buckets, but a decoded histogram spans every bucket up to its highest
 * (~14,000 at 20 s). Behind a saturated server each poll brings dozens of them; decoding each into a
 * histogram of its own was the coordinator's largest cost. Returns the count and max (µs) it added.
 */
export function addEncodedInto(into: Histogram, base64: string): { count: number; maxUs: number } {
  const sum = scratch;
  sum.clear();
  if (!sum.addEncoded(base64)) {
    const foreign = hdr.decodeFromCompressedBase64(base64, 32, false);
    into.add(foreign);
    return { count: foreign.totalCount, maxUs: foreign.maxValue };
  }
  let count = 0;
  let top = -1;
  for (let i = 0; i < sum.length; i++) {
    const c = sum.counts[i]!;
    if (c === 0) continue;
    // The lowest value of bucket i records into bucket i (and sets min as a decode would).
    into.recordValueWithCount(probe().valueFromIndex(i), c);
    count += c;
    top = i;
  }
  if (top < 0) return { count: 0, maxUs: 0 };
  // A decoded histogram's max is its highest bucket's highest equivalent value: keep merges identical.
  const maxUs = probe().highestEquivalentValue(probe().valueFromIndex(top));
  const h = into as unknown as { maxValue: number };
  if (maxUs > h.maxValue) h.maxValue = maxUs;
  return { count, maxUs };
}

let layout: BucketAccess | undefined;
/** One histogram of this file's layout, for bucket arithmetic only (never recorded into). */
const probe = () => (layout ??= newHistogram() as unknown as BucketAccess);

/** A histogram holding the accumulated counts, sized for its highest bucket (no resize while filling). */
function fromCounts(sum: CountsAccumulator): Histogram {
  let last = sum.length - 1;
  while (last >= 0 && sum.counts[last] === 0) last--;
  if (last < 0) return newHistogram();
  const merged = newHistogram(Math.max(2, probe().highestEquivalentValue(probe().valueFromIndex(last))));
  const buckets = merged as unknown as BucketAccess;
  for (let i = 0; i <= last; i++) if (sum.counts[i] !== 0) buckets.setCountAtIndex(i, sum.counts[i]!);
  buckets.establishInternalTackingValues(last + 1);
  return merged;
}

/** Latency statistics in milliseconds: the one shape result.json, reports, compare and capacity share. */
export interface LatencyStats {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

const toMs = (us: number) => Math.round(us) / 1000;

/** What summarize needs of hdr-histogram-js's JS histogram beyond its public type. */
interface BucketAccess {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  medianEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
  setCountAtIndex(index: number, count: number): void;
  /** Recomputes total count, min and max from the counts (the library's spelling). */
  establishInternalTackingValues(lengthToCover: number): void;
}

/** The library's count at a percentile: rounded up, guarded against one ulp of error, at least 1. */
function countAtPercentile(percentile: number, total: number): number {
  const fp = (percentile / 100) * total;
  return Math.max(Math.ceil(fp - 2 ** (Math.floor(Math.log2(fp)) - 52)), 1);
}

const reported = [50, 90, 99, 99.9];

/**
 * The mean (each count at its bucket's median equivalent value, as HDR defines it) and the reported
 * percentiles (`getValueAtPercentile`'s values) in one pass over the buckets: the library walks them
 * once per percentile and its mean getter walks a general-purpose iterator (~1 ms a call).
 */
function meanAndPercentiles(histogram: Histogram): { mean: number; values: number[] } {
  const h = histogram as unknown as BucketAccess;
  const total = histogram.totalCount;
  const targets = reported.map((p) => countAtPercentile(p, total));
  const values: number[] = [];
  let sum = 0;
  let cumulative = 0;
  for (let i = 0; i < h.countsArrayLength; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    const value = h.valueFromIndex(i);
    sum += count * h.medianEquivalentValue(value);
    cumulative += count;
    while (values.length < targets.length && cumulative >= targets[values.length]!) values.push(h.highestEquivalentValue(value));
  }
  return { mean: sum / total, values };
}

/** Percentiles in milliseconds; an empty histogram gives count 0 and zeros. */
export function summarize(histogram: Histogram): LatencyStats & { min: number } {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const { mean, values } = meanAndPercentiles(histogram);
  const [p50, p90, p99, p999] = values.map(toMs);
  return { count, min: toMs(histogram.minNonZeroValue), mean: toMs(mean), p50: p50!, p90: p90!, p99: p99!, p999: p999!, max: toMs(histogram.maxValue) };
}

import { median, quantile, seededRng, type Rng } from './random.js';

/**
 * Circular moving-block bootstrap for the change between two runs' per-interval samples.
 *
 * Why blocks: interval percentiles of one run are autocorrelated (a GC pause, a compaction or a
 * shard movement spans several intervals), so tests that assume independent samples (Mann-Whitney,
 * a t-test) see many more "independent" samples than there are and call noise significant.
 * Resampling whole blocks keeps the short-range dependence inside each resample, so the spread of
 * the bootstrap distribution reflects the run's real noise.
 */
export interface BootstrapOptions {
  /** Statistic of one run's samples (default: median, robust to the odd spike). */
  statistic?: (values: number[]) => number;
  /** 'relative': cand/base − 1; 'absolute': cand − base (for rates whose baseline may be 0). */
  scale?: 'relative' | 'absolute';
  resamples?: number;
  /** Two-sided confidence level of the interval (default 0.95). */
  confidence?: number;
  seed?: number;
  /** Fixed block length instead of the data-driven choice. */
  blockLength?: number;
}

export interface BootstrapResult {
  /** Change of the statistic on the original samples. */
  estimate: number;
  ci: [number, number];
  /** Two-sided bootstrap p-value for "no change" (share of resamples on the other side of 0, doubled). */
  pValue: number;
  /** Half-width of the baseline statistic's own CI, on the same scale: the run-internal noise. */
  noiseBand: number;
  blockLength: { baseline: number; candidate: number };
}

/** Lag-k autocorrelation of a series. */
export function autocorrelation(values: readonly number[], lag: number): number {
  const n = values.length;
  if (lag >= n) return 0;
  let m = 0;
  for (const v of values) m += v;
  m /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    den += d * d;
    if (i + lag < n) num += d * (values[i + lag]! - m);
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Block length: at least n^(1/3) (the asymptotically optimal order), longer when the series stays
 * correlated: the first lag whose autocorrelation is inside the ±2/√n white-noise band. Capped at n/3
 * so a resample still mixes several blocks.
 */
export function chooseBlockLength(values: readonly number[]): number {
  const n = values.length;
  if (n < 4) return 1;
  const cap = Math.max(1, Math.floor(n / 3));
  const band = 2 / Math.sqrt(n);
  let lag = 1;
  while (lag < cap && Math.abs(autocorrelation(values, lag)) > band) lag++;
  return Math.min(cap, Math.max(Math.ceil(Math.cbrt(n)), lag));
}

function resample(values: readonly number[], block: number, rng: Rng, out: number[]): number[] {
  const n = values.length;
  out.length = 0;
  while (out.length < n) {
    const start = Math.floor(rng() * n);
    for (let i = 0; i < block && out.length < n; i++) out.push(values[(start + i) % n]!);
  }
  return out;
}

export function blockBootstrapChange(baseline: readonly number[], candidate: readonly number[], options: BootstrapOptions = {}): BootstrapResult {
  const stat = options.statistic ?? median;
  const scale = options.scale ?? 'relative';
  const resamples = options.resamples ?? 1000;
  const alpha = 1 - (options.confidence ?? 0.95);
  const rng = seededRng(options.seed ?? 0x5eed);
  const change = (b: number, c: number) => (scale === 'relative' ? (b === 0 ? (c === 0 ? 0 : Infinity) : c / b - 1) : c - b);
  const bBlock = options.blockLength ?? chooseBlockLength(baseline);
  const cBlock = options.blockLength ?? chooseBlockLength(candidate);
  const b0 = stat([...baseline]);
  const changes: number[] = [];
  const baseStats: number[] = [];
  const bufB: number[] = [];
  const bufC: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const bs = stat(resample(baseline, bBlock, rng, bufB));
    const cs = stat(resample(candidate, cBlock, rng, bufC));
    baseStats.push(bs);
    changes.push(change(bs, cs));
  }
  const below = changes.filter((d) => d <= 0).length / resamples;
  const above = changes.filter((d) => d >= 0).length / resamples;
  const lo = quantile(baseStats, alpha / 2);
  const hi = quantile(baseStats, 1 - alpha / 2);
  const halfWidth = (hi - lo) / 2;
  return {
    estimate: change(b0, stat([...candidate])),
    ci: [quantile(changes, alpha / 2), quantile(changes, 1 - alpha / 2)],
    pValue: Math.min(1, 2 * Math.min(below, above)),
    noiseBand: scale === 'relative' ? (b0 === 0 ? 0 : halfWidth / Math.abs(b0)) : halfWidth,
    blockLength: { baseline: bBlock, candidate: cBlock },
  };
}

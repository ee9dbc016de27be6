import { median, normalCdf } from './random.js';

/**
 * Monotonic-trend tests for soak drift. Mann-Kendall asks "do later windows tend to be higher than
 * earlier ones?" using only the signs of pairwise differences, so it needs no linearity or normality
 * and one spike cannot fake a trend; Theil-Sen (median of pairwise slopes) gives the size of the
 * trend with the same robustness.
 */
export interface TrendResult {
  n: number;
  /** Mann-Kendall S: concordant minus discordant pairs. */
  s: number;
  /** One-sided p-value for an increasing trend (for a decreasing one, test the negated series). */
  pIncreasing: number;
  pDecreasing: number;
  /** Theil-Sen slope, units of y per unit of x. */
  slope: number;
  intercept: number;
}

/** Number of permutations of 1..n with k inversions (Mahonian numbers), for the exact null of S. */
function inversionCounts(n: number): number[] {
  let counts = [1];
  for (let m = 2; m <= n; m++) {
    const next = new Array<number>(counts.length + m - 1).fill(0);
    for (let k = 0; k < counts.length; k++) for (let j = 0; j < m; j++) next[k + j]! += counts[k]!;
    counts = next;
  }
  return counts;
}

/** P(S >= s) under no trend. Exact (no ties, n ≤ 12) or the normal approximation with tie correction. */
function upperTail(s: number, n: number, ties: number[]): number {
  if (n < 2) return 1;
  if (ties.length === 0 && n <= 12) {
    const counts = inversionCounts(n);
    const total = counts.reduce((a, b) => a + b, 0);
    const pairs = (n * (n - 1)) / 2;
    // S = pairs − 2·inversions, so S ≥ s  ⇔  inversions ≤ (pairs − s) / 2.
    const maxInv = Math.floor((pairs - s) / 2);
    let hits = 0;
    for (let k = 0; k <= Math.min(maxInv, counts.length - 1); k++) hits += counts[k]!;
    return hits / total;
  }
  let variance = n * (n - 1) * (2 * n + 5);
  for (const t of ties) variance -= t * (t - 1) * (2 * t + 5);
  variance /= 18;
  if (variance <= 0) return 1;
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return 1 - normalCdf(z);
}

function tieGroups(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1);
}

export function mannKendall(ys: readonly number[], xs?: readonly number[]): TrendResult {
  const n = ys.length;
  const x = xs ?? ys.map((_, i) => i);
  let s = 0;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      s += Math.sign(ys[j]! - ys[i]!);
      const dx = x[j]! - x[i]!;
      if (dx !== 0) slopes.push((ys[j]! - ys[i]!) / dx);
    }
  }
  const ties = tieGroups(ys);
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = n ? median(ys.map((y, i) => y - slope * x[i]!)) : 0;
  return { n, s, pIncreasing: upperTail(s, n, ties), pDecreasing: upperTail(-s, n, ties), slope, intercept };
}

import { mean, seededRng, type Rng } from './random.js';

/**
 * Change points in a nightly series by (circular) binary segmentation with a permutation test — a
 * simpler relative of E-divisive means (the method MongoDB's and DataStax's perf tools use): find the
 * segment whose mean best separates from the rest, keep its ends only if a random reordering rarely
 * separates as well (p < alpha), then recurse into the pieces. The permutation test makes no distributional
 * assumption, and requiring significance keeps flat noise from producing "changes".
 */
export interface ChangePoint {
  /** Index of the first point after the change. */
  index: number;
  before: number;
  after: number;
  /** Relative change of the segment means (after/before − 1; absolute when before is 0). */
  change: number;
  pValue: number;
}

export interface ChangePointOptions {
  alpha?: number;
  permutations?: number;
  /** Fewest points on each side of a split. */
  minSegment?: number;
  seed?: number;
}

/**
 * Best segment [i, j) of xs[lo, hi) against the rest (circular binary segmentation, Olshen et al.
 * 2004): a plain single split misses a raised middle (a bad week that was later fixed), because both
 * ends look alike. i = lo or j = hi is the ordinary single split. O(n²) with prefix sums; nightly
 * histories are short.
 */
function bestSegment(xs: readonly number[], lo: number, hi: number, minSeg: number): { i: number; j: number; stat: number } {
  const n = hi - lo;
  const prefix = [0];
  for (let k = lo; k < hi; k++) prefix.push(prefix[prefix.length - 1]! + xs[k]!);
  const total = prefix[n]!;
  let best = { i: -1, j: -1, stat: -1 };
  for (let a = 0; a < n; a++) {
    for (let b = a + minSeg; b <= n; b++) {
      const inside = b - a;
      const outside = n - inside;
      // Each part of the outside must be empty or long enough to be a segment of its own.
      if (outside < minSeg || (a > 0 && a < minSeg) || (b < n && n - b < minSeg)) continue;
      const sumIn = prefix[b]! - prefix[a]!;
      const stat = Math.abs(sumIn / inside - (total - sumIn) / outside) * Math.sqrt((inside * outside) / n);
      if (stat > best.stat) best = { i: lo + a, j: lo + b, stat };
    }
  }
  return best;
}

function shuffled(values: number[], rng: Rng): number[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

export function findChangePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const alpha = options.alpha ?? 0.01;
  const permutations = options.permutations ?? 499;
  const minSeg = Math.max(1, options.minSegment ?? 3);
  const rng = seededRng(options.seed ?? 0xc4a96e);
  const found: ChangePoint[] = [];
  const segMean = (a: number, b: number) => mean(series.slice(a, b));
  const record = (index: number, before: number, after: number, pValue: number) => found.push({ index, before, after, change: before === 0 ? after - before : after / before - 1, pValue });
  const visit = (lo: number, hi: number) => {
    if (hi - lo < 2 * minSeg) return;
    const best = bestSegment(series, lo, hi, minSeg);
    if (best.i < 0 || best.stat <= 0) return;
    const segment = series.slice(lo, hi);
    let asExtreme = 0;
    for (let p = 0; p < permutations; p++) {
      if (bestSegment(shuffled(segment, rng), 0, segment.length, minSeg).stat >= best.stat) asExtreme++;
    }
    const pValue = (asExtreme + 1) / (permutations + 1);
    if (pValue >= alpha) return;
    const inside = segMean(best.i, best.j);
    if (best.i > lo) record(best.i, segMean(lo, best.i), inside, pValue);
    if (best.j < hi) record(best.j, inside, segMean(best.j, hi), pValue);
    visit(lo, best.i);
    visit(best.i, best.j);
    visit(best.j, hi);
  };
  visit(0, series.length);
  return found.sort((a, b) => a.index - b.index);
}

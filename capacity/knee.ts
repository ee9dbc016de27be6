/** One point of the throughput–latency curve. */
export interface CurvePoint {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * The knee of the throughput–latency curve: where p99 bends upward most sharply. We use
 * the Kneedle idea on the normalised curve (rate and p99 scaled to [0, 1]): the knee is the point
 * farthest below the chord from the first to the last point. Needs at least three points.
 */
export function findKnee(points: CurvePoint[]): CurvePoint | undefined {
  const sorted = [...points].sort((a, b) => a.rps - b.rps);
  if (sorted.length < 3) return undefined;
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const rpsSpan = last.rps - first.rps;
  const minP99 = Math.min(...sorted.map((p) => p.p99Ms));
  const p99Span = Math.max(...sorted.map((p) => p.p99Ms)) - minP99;
  if (rpsSpan <= 0 || p99Span <= 0) return undefined;
  let best: CurvePoint | undefined;
  let bestGap = 0;
  for (const p of sorted) {
    const x = (p.rps - first.rps) / rpsSpan;
    const y = (p.p99Ms - minP99) / p99Span;
    const chordY = (first.p99Ms - minP99) / p99Span + x * ((last.p99Ms - first.p99Ms) / p99Span);
    const gap = chordY - y;
    if (gap > bestGap) {
      bestGap = gap;
      best = p;
    }
  }
  return best;
}

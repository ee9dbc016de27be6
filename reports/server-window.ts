import type { QueryResult, ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import { formatDuration, queryRangeSeconds } from '../metrics/rate-window.js';
import type { ResultFile } from '../recorder/result-schema.js';

/**
 * Which server points describe which phase. A point of a range query at time t covers (t − window, t]:
 * it describes the steady phase only when that whole span lies inside it. Panels keep every point
 * (and mark those reaching before t0); statistics and rules read only the steady ones.
 */

export type PhaseSource = Pick<ResultFile, 'startedAt' | 'endedAt' | 'window' | 'timeline'>;

/** Unix seconds. */
export interface RunPhases {
  t0: number;
  steadyStart: number;
  steadyEnd: number;
  /** End of the last recorded interval (the drain included), else endedAt. */
  end: number;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

export function runPhases(result: PhaseSource): RunPhases {
  const t0 = seconds(result.startedAt);
  const last = result.timeline.at(-1);
  const end = last ? t0 + last.t + last.durationS : result.endedAt ? seconds(result.endedAt) : t0;
  return {
    t0,
    steadyStart: result.window ? seconds(result.window.start) : t0,
    steadyEnd: result.window ? seconds(result.window.end) : end,
    end,
  };
}

/** Seconds each point of a result covers: the range in its PromQL; 0 for instant values (gauges). */
export function pointWindow(result: QueryResult): number {
  return queryRangeSeconds(result.query);
}

/** The snapshot's rate window: stored (v2), else the longest range in its queries (v1: `[1m]`). */
export function snapshotWindow(snapshot: ServerMetricsSnapshot): number {
  return snapshot.rateWindowSeconds ?? Math.max(0, ...snapshot.results.map(pointWindow));
}

// Points sit on a step grid from (t0 − window): allow for float error at the edges.
const slack = 1e-3;

export function pointsInside<P extends [number, unknown]>(points: P[], window: number, from: number, to: number): P[] {
  return points.filter(([t]) => t - window >= from - slack && t <= to + slack);
}

const rel = (t: number, t0: number) => Math.round(t - t0);

/** "steady t=30–290 s, rate window 8s": what a steady statistic of this result was computed over. */
export function steadyScope(phases: RunPhases, window: number): string {
  const span = `steady t=${rel(phases.steadyStart, phases.t0)}–${rel(phases.steadyEnd, phases.t0)} s`;
  return window > 0 ? `${span}, rate window ${formatDuration(window)}` : span;
}

/** The result with only the points whose window lies inside the steady phase; undefined when none does. */
export function steadyPoints(result: QueryResult, phases: RunPhases): QueryResult | undefined {
  const window = pointWindow(result);
  const series = result.series.map((s) => ({ ...s, points: pointsInside(s.points, window, phases.steadyStart, phases.steadyEnd) })).filter((s) => s.points.length > 0);
  return series.length ? { ...result, series } : undefined;
}

/**
 * A visible warning when the steady window is too short for the rate window: under one window no
 * point covers steady load alone; under two, its numbers rest on less than two independent windows.
 */
export function windowWarning(result: PhaseSource, snapshot: ServerMetricsSnapshot): string | undefined {
  const window = snapshotWindow(snapshot);
  if (!(window > 0)) return undefined;
  const p = runPhases(result);
  const steady = Math.round(p.steadyEnd - p.steadyStart);
  const w = formatDuration(window);
  const scrape = snapshot.scrapeIntervalSeconds ? ` (from the ${snapshot.scrapeIntervalSeconds} s scrape interval)` : '';
  const fix = `Run at least ${formatDuration(2 * window)} steady, or scrape more often.`;
  if (steady < window) {
    return `Server rates: the steady window (${steady} s) is shorter than the rate window ${w}${scrape}. No server rate covers steady load alone: the panels mix in warm-up, cool-down or the idle server before t0, and the recommendations use no server rates. ${fix}`;
  }
  if (steady < 2 * window) {
    return `Server rates: the steady window (${steady} s) is shorter than two rate windows (2 × ${w}${scrape}); its server figures rest on fewer than two independent windows. ${fix}`;
  }
  return undefined;
}

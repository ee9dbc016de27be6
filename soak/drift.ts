import type { IntervalRecord, ResultFile } from '../recorder/result-schema.js';
import { mannKendall } from '../compare/stats/trend.js';
import { mean, median } from '../compare/stats/random.js';

/**
 * Drift checks for soak runs: the run is cut into windows (default 5 min), each gets throughput, p99,
 * RSS and any server metric, and each series gets a Mann-Kendall trend test with a Theil-Sen slope.
 * A series drifts when it moves in its bad direction both significantly and by more than a minimum
 * relative change over the run (a significant 1% RSS rise is not a leak worth waking anyone for).
 * Pure: works on a partial soak ('running' / 'interrupted') as well as a finished one.
 */
export interface Sample {
  /** Seconds from the run's t0 (the timeline's `t` clock). */
  t: number;
  value: number;
}

export interface ExtraSeries {
  samples: Sample[];
  /** Which direction is bad (default 'increase'). */
  worseWhen?: 'increase' | 'decrease';
}

export interface DriftInput {
  result: ResultFile;
  /** Worker RSS in MB over time (e.g. from worker stats); optional. */
  workerRssMb?: Sample[];
  /** Key server metrics over time, by display name (e.g. "persistence p99 ms"); optional. */
  server?: Record<string, ExtraSeries>;
}

export interface DriftOptions {
  windowS?: number;
  alpha?: number;
  /** Smallest relative change over the analysed span that counts as drift, per series kind. */
  minChange?: Partial<Record<SeriesKind, number>>;
}

type SeriesKind = 'throughput' | 'latency' | 'memory' | 'server';

export interface DriftWindow {
  index: number;
  tStart: number;
  tEnd: number;
  intervals: number;
  throughput: number | null;
  startP99Ms: number | null;
  e2eP99Ms: number | null;
  generatorRssMb: number | null;
  workerRssMb: number | null;
  server: Record<string, number | null>;
}

export interface DriftTrend {
  series: string;
  kind: SeriesKind;
  worseWhen: 'increase' | 'decrease';
  windows: number;
  first: number | null;
  last: number | null;
  /** Theil-Sen slope per hour. */
  slopePerHour: number;
  /** Fitted change over the analysed span relative to the fitted start. */
  relativeChange: number;
  /** One-sided Mann-Kendall p-value in the bad direction. */
  pValue: number;
  flagged: boolean;
}

export interface DriftReport {
  kind: 'drift';
  runId: string;
  status: ResultFile['status'];
  partial: boolean;
  windowS: number;
  alpha: number;
  method: string;
  windows: DriftWindow[];
  trends: DriftTrend[];
  verdict: 'stable' | 'drift' | 'insufficient-data';
  flagged: string[];
}

const defaultMinChange: Record<SeriesKind, number> = { throughput: 0.05, latency: 0.2, memory: 0.1, server: 0.2 };
/** Mann-Kendall cannot reach p < 0.05 with fewer windows than this. */
export const minWindows = 4;

const nullable = (xs: number[], f: (xs: number[]) => number) => (xs.length ? f(xs) : null);

function inWindow(samples: Sample[] | undefined, from: number, to: number): number | null {
  return nullable(
    (samples ?? []).filter((s) => s.t >= from && s.t < to).map((s) => s.value),
    mean,
  );
}

/** Windows over the measured phase; a trailing window less than half covered is left out. */
export function driftWindows(input: DriftInput, windowS: number): DriftWindow[] {
  const steady = input.result.timeline.filter((i) => i.phase === 'steady');
  if (steady.length === 0) return [];
  const t0 = steady[0]!.t;
  const groups = new Map<number, IntervalRecord[]>();
  for (const i of steady) {
    const k = Math.floor((i.t - t0) / windowS);
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const out: DriftWindow[] = [];
  for (const [index, ivs] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const covered = ivs.reduce((a, i) => a + i.durationS, 0);
    if (covered < windowS / 2) continue;
    const tStart = t0 + index * windowS;
    const p99 = (op: string) =>
      nullable(
        ivs.flatMap((i) => (i.latencyMs?.[op]?.count ? [i.latencyMs[op]!.p99] : [])),
        median,
      );
    const server: Record<string, number | null> = {};
    for (const [name, s] of Object.entries(input.server ?? {})) server[name] = inWindow(s.samples, tStart, tStart + windowS);
    out.push({
      index,
      tStart,
      tEnd: tStart + windowS,
      intervals: ivs.length,
      throughput: covered > 0 ? ivs.reduce((a, i) => a + i.started, 0) / covered : null,
      startP99Ms: p99('start'),
      e2eP99Ms: p99('e2e'),
      generatorRssMb: nullable(
        ivs.map((i) => i.generator?.rssMb).filter((v): v is number => typeof v === 'number' && v > 0),
        mean,
      ),
      workerRssMb: inWindow(input.workerRssMb, tStart, tStart + windowS),
      server,
    });
  }
  return out;
}

function trend(series: string, kind: SeriesKind, worseWhen: 'increase' | 'decrease', windows: DriftWindow[], pick: (w: DriftWindow) => number | null, alpha: number, minChange: number): DriftTrend | null {
  const points = windows.flatMap((w) => {
    const v = pick(w);
    return v === null || !Number.isFinite(v) ? [] : [{ x: (w.tStart + w.tEnd) / 2, y: v }];
  });
  if (points.length === 0) return null;
  const mk = mannKendall(
    points.map((p) => p.y),
    points.map((p) => p.x),
  );
  const x0 = points[0]!.x;
  const x1 = points[points.length - 1]!.x;
  const fittedStart = mk.intercept + mk.slope * x0;
  const relativeChange = fittedStart === 0 ? 0 : (mk.slope * (x1 - x0)) / Math.abs(fittedStart);
  const pValue = worseWhen === 'increase' ? mk.pIncreasing : mk.pDecreasing;
  const bad = worseWhen === 'increase' ? relativeChange : -relativeChange;
  return {
    series,
    kind,
    worseWhen,
    windows: points.length,
    first: points[0]!.y,
    last: points[points.length - 1]!.y,
    slopePerHour: mk.slope * 3600,
    relativeChange,
    pValue,
    flagged: points.length >= minWindows && pValue < alpha && bad > minChange,
  };
}

export function analyseDrift(input: DriftInput, options: DriftOptions = {}): DriftReport {
  const windowS = options.windowS ?? 300;
  const alpha = options.alpha ?? 0.05;
  const min = { ...defaultMinChange, ...options.minChange };
  const windows = driftWindows(input, windowS);
  const specs: [string, SeriesKind, 'increase' | 'decrease', (w: DriftWindow) => number | null][] = [
    ['throughput (starts/s)', 'throughput', 'decrease', (w) => w.throughput],
    ['start p99 (ms)', 'latency', 'increase', (w) => w.startP99Ms],
    ['e2e p99 (ms)', 'latency', 'increase', (w) => w.e2eP99Ms],
    ['generator RSS (MB)', 'memory', 'increase', (w) => w.generatorRssMb],
    ['worker RSS (MB)', 'memory', 'increase', (w) => w.workerRssMb],
    ...Object.entries(input.server ?? {}).map(([name, s]) => [name, 'server', s.worseWhen ?? 'increase', (w: DriftWindow) => w.server[name] ?? null] as [string, SeriesKind, 'increase' | 'decrease', (w: DriftWindow) => number | null]),
  ];
  const trends = specs.map(([name, kind, worse, pick]) => trend(name, kind, worse, windows, pick, alpha, min[kind])).filter((t): t is DriftTrend => t !== null);
  const flagged = trends.filter((t) => t.flagged).map((t) => t.series);
  const verdict = flagged.length ? 'drift' : windows.length < minWindows ? 'insufficient-data' : 'stable';
  const { runId, status } = input.result;
  return {
    kind: 'drift',
    runId,
    status,
    partial: status !== 'completed',
    windowS,
    alpha,
    method: `Mann-Kendall trend test (one-sided, exact for ≤ 12 windows) with Theil-Sen slope over ${windowS}-s windows of the steady phase; drift = p < ${alpha} and a change beyond the per-kind minimum`,
    windows,
    trends,
    verdict,
    flagged,
  };
}

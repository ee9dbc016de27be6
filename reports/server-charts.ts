import type { QueryResult, ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import { formatDuration } from '../metrics/rate-window.js';
import type { Group } from '../metrics/server-queries.js';
import type { ResultFile } from '../recorder/result-schema.js';
import { round, type ChartSection, type ChartSeries, type ChartSpec } from './chart-spec.js';
import { chartOverlay, withOverlay } from './faults.js';
import { pointWindow, runPhases, windowWarning, type RunPhases } from './server-window.js';

/** Server and worker panels from server-metrics.json, on the same time axis as the run. */

/** Series kept per chart (largest peaks first); a chart with 200 operations is unreadable anyway. */
export const maxSeriesPerChart = 8;

const sections: { id: string; title: string; groups: Group[] }[] = [
  { id: 'server', title: 'Server', groups: ['rpc', 'persistence', 'history', 'matching'] },
  { id: 'resources', title: 'Server resources (Kubernetes)', groups: ['resources'] },
  { id: 'worker', title: 'Workers (SDK metrics)', groups: ['worker'] },
];

function seriesName(labels: Record<string, string>): string {
  const text = Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return text || 'total';
}

function peak(points: [number, number | null][]): number {
  return points.reduce((m, [, v]) => (v !== null && v > m ? v : m), -Infinity);
}

/** What the run's phases look like on a server panel, in seconds from t0. */
function phaseBands(result: Pick<ResultFile, 'timeline'>, window: number): NonNullable<ChartSpec['bands']> {
  const bands: NonNullable<ChartSpec['bands']> = [];
  for (const r of result.timeline) {
    const last = bands.at(-1);
    if (last && last.label === r.phase) last.to = r.t + r.durationS;
    else bands.push({ from: r.t, to: r.t + r.durationS, label: r.phase });
  }
  const out = bands.filter((b) => b.label !== 'steady');
  // Points up to one window after t0 still average in the server before the load.
  if (window > 0) out.push({ from: -window, to: window, label: `rate window (${formatDuration(window)}) reaches before t0` });
  return out;
}

function subtitle(window: number, snapshot: ServerMetricsSnapshot): string {
  if (window <= 0) return `instant values every ${snapshot.stepSeconds} s`;
  const scrape = snapshot.scrapeIntervalSeconds ? ` · scrape interval ${snapshot.scrapeIntervalSeconds} s` : '';
  return `rate window ${formatDuration(window)}${scrape}`;
}

function missingMessage(result: QueryResult): string {
  if (!result.absent?.length) return 'missing: no series in the window (not exported, or named differently here)';
  return `missing: no target exports ${result.absent.join(', ')} (not exported, or named differently here; a counter that never fired may not exist yet)`;
}

function chartFor(result: QueryResult, snapshot: ServerMetricsSnapshot, phases: RunPhases, bands: ChartSpec['bands']): ChartSpec {
  const t0 = phases.t0;
  const base = { id: `server-${result.id}`, title: result.title, unit: result.unit, xKind: 'time' as const, note: result.query, subtitle: subtitle(pointWindow(result), snapshot), bands };
  if (result.status === 'error') return { ...base, series: [], status: 'error', message: `query failed: ${result.error ?? 'unknown error'}` };
  if (result.status === 'missing') return { ...base, series: [], status: 'missing', message: missingMessage(result) };
  if (result.status === 'zero') {
    // Exported, nothing counted: a rate of zero is a number; a latency or ratio of nothing is not.
    if (result.unit !== 'ops/s') return { ...base, series: [], status: 'missing', message: 'nothing in the window: the metric is exported, but no events (or no series with these labels)' };
    const x = [Date.parse(snapshot.window.start) / 1000 - t0, Date.parse(snapshot.window.end) / 1000 - t0].map((v) => round(v)!);
    return { ...base, series: [{ name: 'total (no events)', x, y: [0, 0] }], status: 'ok', note: `exported, no events in the window: zero · ${result.query}` };
  }
  const ranked = [...result.series].sort((a, b) => peak(b.points) - peak(a.points));
  const kept = ranked.slice(0, maxSeriesPerChart);
  const series: ChartSeries[] = kept.map((s) => ({
    name: seriesName(s.labels),
    x: s.points.map(([t]) => round(t - t0)!),
    y: s.points.map(([, v]) => round(v)),
  }));
  const dropped = ranked.length - kept.length;
  return { ...base, series, note: dropped > 0 ? `top ${kept.length} of ${ranked.length} series by peak · ${result.query}` : result.query };
}

type ServerChartSource = Pick<ResultFile, 'startedAt' | 'endedAt' | 'window' | 'timeline'> & Partial<Pick<ResultFile, 'faults' | 'availability'>>;

/**
 * Points are unix seconds; they become seconds from the run's t0 (`startedAt`), the axis the fault
 * markers and outage windows of `result` (seconds from t0 too) are drawn on. Every point is kept; the
 * span whose windows reach before t0 and the non-steady phases are shaded.
 */
export function serverSections(snapshot: ServerMetricsSnapshot | undefined, startedAt: string, result?: ServerChartSource): ChartSection[] {
  const source = result ?? { startedAt, endedAt: null, window: null, timeline: [] };
  const phases = runPhases(source);
  const warning = snapshot ? windowWarning(source, snapshot) : undefined;
  const out = sections.map(({ id, title, groups }) => {
    const results = snapshot?.results.filter((r) => groups.includes(r.group)) ?? [];
    return { id, title, charts: results.map((r) => chartFor(r, snapshot!, phases, phaseBands(source, pointWindow(r)))) };
  });
  // Once, above the first panels it concerns.
  const first = out.find((s) => s.charts.length > 0);
  if (first && warning) Object.assign(first, { warning });
  return result ? withOverlay(out, chartOverlay(result)) : out;
}

import type { QueryResult, ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import type { Group } from '../metrics/server-queries.js';
import type { ResultFile } from '../runner/result-schema.js';
import { round, type ChartSection, type ChartSeries, type ChartSpec } from './chart-spec.js';
import { chartOverlay, withOverlay } from './faults.js';

/** Server and worker panels from server-metrics.json, on the same time axis as the run. */

/** Series kept per chart (largest peaks first); a chart with 200 operations is unreadable anyway. */
export const maxSeriesPerChart = 8;

const sections: { id: string; title: string; groups: Group[] }[] = [
  { id: 'server', title: 'Server', groups: ['rpc', 'persistence', 'history', 'matching'] },
  { id: 'resources', title: 'Server resources (Kubernetes)', groups: ['resources'] },
  { id: 'worker', title: 'Workers (SDK metrics)', groups: ['worker'] },
];

function seriesName(labels: Record<string, string>): string {
  const text = Object.entries(labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${v}`).join(', ');
  return text || 'total';
}

function peak(points: [number, number | null][]): number {
  return points.reduce((m, [, v]) => (v !== null && v > m ? v : m), -Infinity);
}

function chartFor(result: QueryResult, t0Seconds: number): ChartSpec {
  const base = { id: `server-${result.id}`, title: result.title, unit: result.unit, xKind: 'time' as const, note: result.query };
  if (result.status !== 'ok') {
    const message = result.status === 'missing' ? 'missing: no series in the window (not exported, or named differently here)' : `query failed: ${result.error ?? 'unknown error'}`;
    return { ...base, series: [], status: result.status, message };
  }
  const ranked = [...result.series].sort((a, b) => peak(b.points) - peak(a.points));
  const kept = ranked.slice(0, maxSeriesPerChart);
  const series: ChartSeries[] = kept.map((s) => ({
    name: seriesName(s.labels),
    x: s.points.map(([t]) => round(t - t0Seconds)!),
    y: s.points.map(([, v]) => round(v)),
  }));
  const dropped = ranked.length - kept.length;
  return { ...base, series, note: dropped > 0 ? `top ${kept.length} of ${ranked.length} series by peak · ${result.query}` : result.query };
}

/**
 * Points are unix seconds; they become seconds from the run's t0 (`startedAt`), the axis the fault
 * markers and outage windows of `result` (seconds from t0 too) are drawn on.
 */
export function serverSections(snapshot: ServerMetricsSnapshot | undefined, startedAt: string, result?: Pick<ResultFile, 'faults' | 'availability'>): ChartSection[] {
  const t0 = new Date(startedAt).getTime() / 1000;
  const out = sections.map(({ id, title, groups }) => {
    const results = snapshot?.results.filter((r) => groups.includes(r.group)) ?? [];
    return { id, title, charts: results.map((r) => chartFor(r, t0)) };
  });
  return result ? withOverlay(out, chartOverlay(result)) : out;
}

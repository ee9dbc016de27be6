import { decodeHistogram } from '../metrics/histogram.js';
import type { ResultFile } from '../recorder/result-schema.js';
import { round, type ChartSeries, type ChartSpec } from './chart-spec.js';

/**
 * The HDR percentile spectrum: latency at percentile p plotted against 1/(1−p) on a log axis, so
 * p50, p90, p99, p99.9 ... are evenly spaced and the tail is visible. Uses HdrHistogram's own
 * percentile distribution (5 steps per halving of the tail), one pass over the buckets, then the max
 * at 1/(1−p) = count.
 */
export function spectrumSeries(base64: string, name: string, dashed = false): ChartSeries | undefined {
  const histogram = decodeHistogram(base64);
  const count = histogram.totalCount;
  if (count === 0) return undefined;
  const x: number[] = [];
  const y: (number | null)[] = [];
  for (const line of histogram.outputPercentileDistribution(5, 1000).split('\n')) {
    const cols = line.trim().split(/\s+/);
    // "value percentile totalCount 1/(1-p)"; the 100% line has no fourth column.
    if (cols.length !== 4 || !/^\d/.test(cols[0]!)) continue;
    const inv = Number(cols[3]);
    if (inv >= count || (x.length && inv <= x.at(-1)!)) continue;
    x.push(round(inv)!);
    y.push(round(Number(cols[0])));
  }
  x.push(round(count)!);
  y.push(round(histogram.maxValue / 1000));
  return { name, x, y, dashed };
}

export function spectrumChart(result: ResultFile, baseline?: ResultFile): ChartSpec {
  const series: ChartSeries[] = [];
  for (const [op, encoded] of Object.entries(result.histograms)) {
    const s = spectrumSeries(encoded, op);
    if (s) series.push(s);
    const base = baseline?.histograms[op];
    const b = base ? spectrumSeries(base, `${op} (baseline ${baseline!.runId})`, true) : undefined;
    if (b) series.push(b);
  }
  return {
    id: 'spectrum',
    title: 'Latency percentile spectrum (steady phase)',
    unit: 'ms',
    xKind: 'spectrum',
    series,
    yLog: false,
    note: baseline ? `dashed: baseline run ${baseline.runId}` : undefined,
    ...(series.length ? {} : { status: 'missing' as const, message: 'no histograms in result.json' }),
  };
}

import type { ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import type { ResultFile } from '../recorder/result-schema.js';
import type { ChartSection, ChartSpec } from './chart-spec.js';
import { evaluateRules, type Recommendation } from './recommendations/index.js';
import { resourceSections } from './resource-charts.js';
import { serverSections } from './server-charts.js';
import { spectrumChart } from './spectrum.js';
import { timelineSections } from './timeline-charts.js';
import { verdict, type Verdict } from './verdict.js';

/** Everything the three renderers need, computed once. */
export interface ReportModel {
  result: ResultFile;
  baseline?: ResultFile;
  server?: ServerMetricsSnapshot;
  recommendations: Recommendation[];
  verdict: Verdict;
  sections: ChartSection[];
  generatedAt: string;
}

/** A chart whose every value is null has nothing to draw: say so rather than draw an empty frame. */
function markEmpty(chart: ChartSpec): ChartSpec {
  if (chart.status && chart.status !== 'ok') return chart;
  const hasValue = chart.series.some((s) => s.y.some((v) => v !== null));
  return hasValue ? { ...chart, status: 'ok' } : { ...chart, status: 'missing', message: chart.message ?? 'no data recorded' };
}

export function buildModel(result: ResultFile, extra: { baseline?: ResultFile; server?: ServerMetricsSnapshot; now?: Date } = {}): ReportModel {
  const recommendations = evaluateRules({ result, server: extra.server });
  const [load, latency, errors, generator] = timelineSections(result);
  const sections = [
    load!,
    latency!,
    { id: 'spectrum', title: 'Percentile spectrum', charts: [spectrumChart(result, extra.baseline)] },
    errors!,
    generator!,
    ...resourceSections(result, extra.server),
    ...serverSections(extra.server, result.startedAt, result),
  ].map((section) => ({ ...section, charts: section.charts.map(markEmpty) }));
  return {
    result,
    baseline: extra.baseline,
    server: extra.server,
    recommendations,
    verdict: verdict(result, recommendations),
    sections,
    generatedAt: (extra.now ?? new Date()).toISOString(),
  };
}

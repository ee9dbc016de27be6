import type { ChartSpec } from '../reports/chart-spec.js';
import { escapeHtml as esc } from '../reports/escape.js';
import { byMagnitude, missing, percent, pValue } from '../reports/format.js';
import { chartFigures } from '../reports/html-sections.js';
import { pageHeader, renderPage } from '../reports/page.js';
import { seriesInfo, type History, type ScenarioHistory, type SeriesId } from './history.js';

/**
 * history.html: the report's page shell and chart code (reports/page.ts, reports/client/), one chart
 * per series and scenario over the runs in start order. Every string from result files (scenario
 * names, run ids, paths) is escaped in the markup and travels as JSON data to the charts.
 */
const seriesIds = Object.keys(seriesInfo) as SeriesId[];

function chart(s: ScenarioHistory, index: number, id: SeriesId): ChartSpec {
  const info = seriesInfo[id];
  const base = { id: `history-${index}-${id}`, title: info.label, unit: info.unit, xKind: 'run' as const };
  if (s.points.every((p) => p.values[id] === null)) return { ...base, series: [], status: 'missing', message: `${info.label}: no data` };
  const cps = s.changePoints[id];
  return {
    ...base,
    status: 'ok',
    x: s.points.map((_, i) => i),
    xLabels: s.points.map((p) => p.startedAt.slice(0, 10)),
    series: [
      {
        name: info.label,
        y: s.points.map((p) => p.values[id]),
        points: s.points.map((p) => ({
          title: `${p.runId} · ${p.startedAt} · ${p.values[id] === null ? missing : byMagnitude(p.values[id]!)} ${info.unit}${p.valid ? '' : ' · invalid run'}`,
          hollow: !p.valid,
        })),
      },
    ],
    // Between the last run before the change and the first after it.
    markers: cps.map((c) => {
      const change = percent(c.change, 1, true);
      return { x: c.point - 0.5, kind: 'change' as const, label: change, title: `change point before ${c.runId}: ${byMagnitude(c.before)} → ${byMagnitude(c.after)} ${info.unit} (${change}, p=${pValue(c.pValue)})` };
    }),
    subtitle: cps.length ? `${cps.length} change point(s)` : undefined,
  };
}

function table(s: ScenarioHistory): string {
  const rows = s.points
    .map((p) => `<tr${p.valid ? '' : ' class="invalid"'}><td>${esc(p.startedAt)}</td><td>${esc(p.runId)}</td>${seriesIds.map((id) => `<td>${p.values[id] === null ? missing : byMagnitude(p.values[id]!)}</td>`).join('')}</tr>`)
    .join('');
  return `<details><summary>${s.points.length} runs</summary><table><tr><th>started</th><th>run</th>${seriesIds.map((id) => `<th>${esc(seriesInfo[id].label)}</th>`).join('')}</tr>${rows}</table></details>`;
}

export function renderHistoryHtml(h: History): string {
  const charts = h.scenarios.map((s, i) => seriesIds.map((id) => chart(s, i, id)));
  const sections = h.scenarios.map((s, i) => `<section class="scenario"><h2>${esc(s.scenario)}</h2>${chartFigures(charts[i]!)}${table(s)}</section>`);
  const skipped = h.skipped.length ? `<section><details><summary>${h.skipped.length} result(s) skipped</summary><ul>${h.skipped.map((s) => `<li>${esc(s.path)}: ${esc(s.reason)}</li>`).join('')}</ul></details></section>` : '';
  return renderPage({
    title: 'bench history',
    header: pageHeader('bench history', `${h.dir} · generated ${h.generatedAt} · change points: ${h.method}`),
    main: [...sections, skipped].join('\n'),
    charts: charts.flat(),
  });
}

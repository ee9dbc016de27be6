import { escapeMarkdown as cell } from '../reports/escape.js';
import { fixed as fmt, pValue } from '../reports/format.js';
import type { DriftReport } from './drift.js';

/** A Markdown section for summary.md / a CI step summary; long soaks show at most `maxRows` windows. */
export function renderDriftMarkdown(d: DriftReport, maxRows = 24): string {
  const title = d.verdict === 'drift' ? `🔴 drift: ${d.flagged.map(cell).join(', ')}` : d.verdict === 'stable' ? '🟢 stable' : '⚪ not enough windows to judge';
  const lines = [
    `## Soak drift: ${title}`,
    ``,
    `${d.windows.length} windows of ${d.windowS} s${d.partial ? ` (partial run: status ${d.status})` : ''}.`,
    ``,
    `| series | first | last | slope / h | change | p | drift |`,
    `|---|---:|---:|---:|---:|---:|---|`,
    ...d.trends.map(
      (t) => `| ${cell(t.series)} | ${fmt(t.first)} | ${fmt(t.last)} | ${fmt(t.slopePerHour, 2)} | ${fmt(t.relativeChange * 100)}% | ${pValue(t.pValue)} | ${t.flagged ? `🔴 ${t.worseWhen === 'increase' ? 'growing' : 'declining'}` : '—'} |`,
    ),
  ];
  const step = Math.max(1, Math.ceil(d.windows.length / maxRows));
  const serverNames = Object.keys(d.windows[0]?.server ?? {});
  lines.push(``, `| window | t (s) | starts/s | start p99 ms | e2e p99 ms | generator RSS MB | worker RSS MB |${serverNames.map((n) => ` ${cell(n)} |`).join('')}`);
  lines.push(`|---:|---:|---:|---:|---:|---:|---:|${serverNames.map(() => '---:|').join('')}`);
  d.windows.forEach((w, i) => {
    if (i % step !== 0 && i !== d.windows.length - 1) return;
    lines.push(`| ${w.index} | ${w.tStart} | ${fmt(w.throughput)} | ${fmt(w.startP99Ms)} | ${fmt(w.e2eP99Ms)} | ${fmt(w.generatorRssMb)} | ${fmt(w.workerRssMb)} |${serverNames.map((n) => ` ${fmt(w.server[n] ?? null)} |`).join('')}`);
  });
  lines.push(``, `<sub>${d.method}</sub>`, ``);
  return lines.join('\n');
}

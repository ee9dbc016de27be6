import fs from 'node:fs';
import path from 'node:path';
import type { ChartSpec } from '../reports/chart-spec.js';
import { escapeHtml as h } from '../reports/escape.js';
import { renderChartPage } from '../reports/html.js';
import type { CapacityReport } from './run-capacity.js';

/** Milliseconds as people read them: at most one decimal. */
const ms = (v: number) => String(Math.round(v * 10) / 10);
const md = (text: string) => text.replace(/[|\\`*_<>]/g, (c) => `\\${c}`);

function headline(r: CapacityReport): string {
  const max = r.maxSustainableRps === null ? 'no sustainable rate found' : `${r.maxSustainableRps}/s`;
  return `Highest sustainable start rate: **${max}** (first unsustainable: ${r.firstBadRps ?? 'none up to max-rps'}/s; ${r.stoppedBecause}; ${r.steps.length} steps in ${r.elapsedS} s)`;
}

export function capacityMarkdown(r: CapacityReport): string {
  const cause = r.limitingFactor;
  const lines = [
    `## temporal-bench capacity: ${md(r.scenario)} on ${md(r.address)}`,
    '',
    headline(r),
    '',
    `SLO: ${r.slo.map((s) => `\`${s}\``).join(', ') || 'none'}. Knee of the throughput–latency curve: ${r.knee ? `${r.knee.rps}/s (p99 ${r.knee.p99Ms} ms)` : 'not enough points'}.`,
    '',
    '### Limiting factor',
    cause ? `**${md(cause.title)}** (confidence ${cause.confidence}). Knob: ${md(cause.knob)}. ${md(cause.action)}` : 'No server-side evidence matched a known bottleneck.',
    ...(cause ? ['', '| evidence | where | observed | limit |', '|---|---|---|---|', ...cause.evidence.map((e) => `| ${md(e.metric)} | ${md(e.where ?? '')} | ${e.observed} ${md(e.unit)} (${md(e.stat)}) | ${e.limit ?? 'any'} |`)] : []),
    ...(r.firstBadReasons.length ? ['', `Client-side, the first bad step failed because: ${r.firstBadReasons.map(md).join('; ')}.`] : []),
    '',
    '### Steps',
    '| # | phase | target/s | achieved/s | completed/s | e2e p50 ms | e2e p99 ms | start p99 ms | errors | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.steps.map((s) => {
      const m = s.measurement;
      return `| ${s.index} | ${s.phase} | ${m.targetRps} | ${m.achievedRps} | ${m.completedRps.toFixed(1)} | ${ms(m.e2eP50Ms)} | ${ms(m.e2eP99Ms)} | ${ms(m.startP99Ms)} | ${(m.errorRate * 100).toFixed(2)}% | ${s.verdict.sustainable ? 'sustainable' : md(s.verdict.reasons.join('; '))} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

function curveChart(r: CapacityReport): ChartSpec {
  const points = [...r.steps].sort((a, b) => a.measurement.targetRps - b.measurement.targetRps);
  return {
    id: 'capacity-curve',
    title: 'Throughput vs end-to-end latency',
    unit: 'ms',
    xKind: 'rate',
    status: 'ok',
    x: points.map((s) => s.measurement.targetRps),
    series: [
      { name: 'e2e p50', y: points.map((s) => s.measurement.e2eP50Ms) },
      { name: 'e2e p99', y: points.map((s) => s.measurement.e2eP99Ms) },
    ],
    bands: r.firstBadRps !== null && r.maxSustainableRps !== null ? [{ from: r.maxSustainableRps, to: r.firstBadRps, label: 'limit' }] : undefined,
    note: r.knee ? `knee at ${r.knee.rps}/s` : undefined,
  };
}

export function capacityHtml(r: CapacityReport): string {
  const cause = r.limitingFactor;
  const body = `
<section id="verdict"><h2>Capacity</h2><p>${h(headline(r).replace(/\*\*/g, ''))}</p>
<p>SLO: ${h(r.slo.join(', ') || 'none')} · knee: ${h(r.knee ? `${r.knee.rps}/s` : 'n/a')}</p></section>
<section id="limiting-factor"><h2>Limiting factor</h2>${
    cause
      ? `<p><strong>${h(cause.title)}</strong> (confidence ${h(cause.confidence)}) — knob: <code>${h(cause.knob)}</code></p><p>${h(cause.action)}</p>
<table><thead><tr><th>evidence</th><th>where</th><th>observed</th><th>limit</th></tr></thead><tbody>${cause.evidence
          .map((e) => `<tr><td>${h(e.metric)}</td><td>${h(e.where ?? '')}</td><td>${h(`${e.observed} ${e.unit} (${e.stat})`)}</td><td>${h(String(e.limit ?? 'any'))}</td></tr>`)
          .join('')}</tbody></table>`
      : '<p>No server-side evidence matched a known bottleneck.</p>'
  }${r.firstBadReasons.length ? `<p>First bad step: ${h(r.firstBadReasons.join('; '))}</p>` : ''}</section>
<section id="steps"><h2>Steps</h2><table><thead><tr><th>#</th><th>phase</th><th>target/s</th><th>achieved/s</th><th>e2e p50</th><th>e2e p99</th><th>errors</th><th>verdict</th></tr></thead><tbody>${r.steps
    .map((s) => {
      const m = s.measurement;
      return `<tr class="${s.verdict.sustainable ? 'pass' : 'fail'}"><td>${s.index}</td><td>${h(s.phase)}</td><td>${m.targetRps}</td><td>${m.achievedRps}</td><td>${ms(m.e2eP50Ms)}</td><td>${ms(m.e2eP99Ms)}</td><td>${(m.errorRate * 100).toFixed(2)}%</td><td>${h(s.verdict.sustainable ? 'sustainable' : s.verdict.reasons.join('; '))}</td></tr>`;
    })
    .join('')}</tbody></table></section>`;
  return renderChartPage(`temporal-bench capacity: ${r.scenario}`, body, [{ id: 'charts-capacity', title: 'Throughput vs latency', charts: [curveChart(r)] }]);
}

/** Writes capacity.md and capacity.html next to capacity.json; returns their paths. */
export function renderCapacity(r: CapacityReport, outDir: string): string[] {
  const files = [path.join(outDir, 'capacity.md'), path.join(outDir, 'capacity.html')];
  fs.writeFileSync(files[0]!, capacityMarkdown(r));
  fs.writeFileSync(files[1]!, capacityHtml(r));
  return files;
}

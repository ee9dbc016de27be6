import fs from 'node:fs';
import path from 'node:path';
import type { ChartSpec } from '../reports/chart-spec.js';
import { escapeHtml as h } from '../reports/escape.js';
import { fixed, percent, rounded } from '../reports/format.js';
import { renderChartPage } from '../reports/page.js';
import { causeHtml, causeMarkdown, md, stepResourceCells, verdictText } from './render-cause.js';
import type { CapacityReport, CapacityStep } from './run-capacity.js';

function headline(r: CapacityReport): string {
  const max = r.maxSustainableRps === null ? 'no sustainable rate found' : `${r.maxSustainableRps}/s`;
  const remeasured = r.steps.filter((s) => s.remeasuredBecause).length;
  return `Highest sustainable start rate: **${max}** (first unsustainable: ${r.firstBadRps ?? 'none up to max-rps'}/s; ${r.stoppedBecause}; ${r.steps.length} steps${remeasured ? `, ${remeasured} measured again` : ''} in ${r.elapsedS} s)`;
}

/** Steps that count (not discarded for a late generator), by rate: the curves' points. */
const judged = (r: CapacityReport): CapacityStep[] => r.steps.filter((s) => !s.remeasuredBecause).sort((a, b) => a.measurement.targetRps - b.measurement.targetRps);

export function capacityMarkdown(r: CapacityReport): string {
  const lines = [
    `## temporal-bench capacity: ${md(r.scenario)} on ${md(r.address)}`,
    '',
    headline(r),
    '',
    `SLO: ${r.slo.map((s) => `\`${s}\``).join(', ') || 'none'}. Knee of the throughput–latency curve: ${r.knee ? `${r.knee.rps}/s (p99 ${r.knee.p99Ms} ms)` : 'not enough points'}.`,
    '',
    '### Limiting factor',
    ...causeMarkdown(r.limitingFactor),
    ...(r.firstBadReasons.length ? ['', `Client-side, the first bad step failed because: ${r.firstBadReasons.map(md).join('; ')}.`] : []),
    '',
    '### Steps',
    "Every step in the order it ran; host CPU is busy cores (p75) of the host's cores, top CPU the mean cores of the largest consumers, both over the step's steady window.",
    '',
    '| # | phase | target/s | achieved/s | completed/s | e2e p50 ms | e2e p99 ms | start p99 ms | errors | host CPU | top CPU | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.steps.map((s) => {
      const m = s.measurement;
      const [host, top] = stepResourceCells(s);
      return `| ${s.index} | ${s.phase} | ${m.targetRps} | ${m.achievedRps} | ${fixed(m.completedRps, 1)} | ${rounded(m.e2eP50Ms, 1)} | ${rounded(m.e2eP99Ms, 1)} | ${rounded(m.startP99Ms, 1)} | ${percent(m.errorRate, 2)} | ${host} | ${md(top)} | ${md(verdictText(s))} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

function bands(r: CapacityReport): ChartSpec['bands'] {
  return r.firstBadRps !== null && r.maxSustainableRps !== null ? [{ from: r.maxSustainableRps, to: r.firstBadRps, label: 'limit' }] : undefined;
}

function curveChart(r: CapacityReport): ChartSpec {
  const points = judged(r);
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
    bands: bands(r),
    // Each step's CPU on the curve itself: where latency bends, what was busy.
    markers: points.some((s) => s.measurement.resources)
      ? points.flatMap((s) => {
          const res = s.measurement.resources;
          if (!res) return [];
          const top = res.top[0];
          return [{ x: s.measurement.targetRps, kind: 'note' as const, label: `host ${fixed(res.hostBusyCores, 2)}/${res.hostCores}${top ? ` · ${top.id} ${fixed(top.cores, 2)}` : ''}` }];
        })
      : undefined,
    note: r.knee ? `knee at ${r.knee.rps}/s` : undefined,
  };
}

/** Host busy cores and the largest consumers at each rate, on the same x axis as the latency curve. */
function resourceChart(r: CapacityReport): ChartSpec {
  const points = judged(r).filter((s) => s.measurement.resources);
  const base = { id: 'capacity-resources', title: 'CPU by rate: host busy and the top consumers', unit: 'cores', xKind: 'rate' as const };
  if (!points.length) return { ...base, series: [], status: 'missing', message: 'no resource samples in the steps (not a local stack, or no /proc)' };
  const peak = new Map<string, number>();
  for (const s of points) for (const c of s.measurement.resources!.top) peak.set(c.id, Math.max(peak.get(c.id) ?? 0, c.cores));
  const ids = [...peak]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([id]) => id);
  const cores = points[0]!.measurement.resources!.hostCores;
  return {
    ...base,
    status: 'ok',
    x: points.map((s) => s.measurement.targetRps),
    series: [
      { name: 'host busy (p75)', y: points.map((s) => s.measurement.resources!.hostBusyCores) },
      ...ids.map((id) => ({ name: id, y: points.map((s) => s.measurement.resources!.top.find((c) => c.id === id)?.cores ?? null), dashed: true })),
    ],
    refLines: [{ y: cores, label: `${cores} cores` }],
    bands: bands(r),
  };
}

export function capacityHtml(r: CapacityReport): string {
  const rows = r.steps
    .map((s) => {
      const m = s.measurement;
      const [host, top] = stepResourceCells(s);
      const cls = s.remeasuredBecause ? 'remeasured' : s.verdict.sustainable ? 'pass' : 'fail';
      return `<tr class="${cls}" data-step="${s.index}"><td>${s.index}</td><td>${h(s.phase)}</td><td>${m.targetRps}</td><td>${m.achievedRps}</td><td>${rounded(m.e2eP50Ms, 1)}</td><td>${rounded(m.e2eP99Ms, 1)}</td><td>${percent(m.errorRate, 2)}</td><td>${h(host)}</td><td>${h(top)}</td><td>${h(verdictText(s))}</td></tr>`;
    })
    .join('');
  const body = `
<section id="verdict"><h2>Capacity</h2><p>${h(headline(r).replace(/\*\*/g, ''))}</p>
<p>SLO: ${h(r.slo.join(', ') || 'none')} · knee: ${h(r.knee ? `${r.knee.rps}/s` : 'n/a')}</p></section>
<section id="limiting-factor"><h2>Limiting factor</h2>${causeHtml(r.limitingFactor)}${r.firstBadReasons.length ? `<p>First bad step: ${h(r.firstBadReasons.join('; '))}</p>` : ''}</section>
<section id="steps"><h2>Steps</h2><table><thead><tr><th>#</th><th>phase</th><th>target/s</th><th>achieved/s</th><th>e2e p50</th><th>e2e p99</th><th>errors</th><th>host CPU</th><th>top CPU</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  return renderChartPage(`temporal-bench capacity: ${r.scenario}`, body, [{ id: 'capacity', title: 'Throughput vs latency and CPU', charts: [curveChart(r), resourceChart(r)] }]);
}

/** Writes capacity.md and capacity.html next to capacity.json; returns their paths. */
export function renderCapacity(r: CapacityReport, outDir: string): string[] {
  const files = [path.join(outDir, 'capacity.md'), path.join(outDir, 'capacity.html')];
  fs.writeFileSync(files[0]!, capacityMarkdown(r));
  fs.writeFileSync(files[1]!, capacityHtml(r));
  return files;
}

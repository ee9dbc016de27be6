import { escapeHtml as esc } from '../reports/escape.js';
import { seriesInfo, type History, type ScenarioHistory, type SeriesId } from './history.js';

/**
 * history.html: one self-contained file (inline SVG and CSS, no scripts, no network). Every string
 * from result files (scenario names, run ids, paths) is escaped.
 */
const W = 760;
const H = 200;
const pad = { l: 60, r: 16, t: 14, b: 34 };

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

function chart(s: ScenarioHistory, id: SeriesId): string {
  const info = seriesInfo[id];
  const pts = s.points.map((p, i) => ({ i, p, v: p.values[id] })).filter((x): x is typeof x & { v: number } => x.v !== null);
  if (pts.length === 0) return `<p class="missing">${esc(info.label)}: no data</p>`;
  const max = Math.max(...pts.map((x) => x.v));
  const min = Math.min(0, ...pts.map((x) => x.v));
  const span = max - min || 1;
  const n = Math.max(1, s.points.length - 1);
  const x = (i: number) => pad.l + ((W - pad.l - pad.r) * i) / n;
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - (v - min) / span);
  const path = pts.map((q, k) => `${k ? 'L' : 'M'}${x(q.i).toFixed(1)},${y(q.v).toFixed(1)}`).join('');
  const changes = s.changePoints[id]
    .map((c) => {
      const cx = x(c.point - 0.5);
      const pct = `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)}%`;
      return `<g class="cp"><line x1="${cx}" x2="${cx}" y1="${pad.t}" y2="${H - pad.b}"/><text x="${cx + 4}" y="${pad.t + 10}">${esc(pct)}</text><title>change point before ${esc(c.runId)}: ${fmt(c.before)} → ${fmt(c.after)} ${esc(info.unit)} (${esc(pct)}, p=${c.pValue.toFixed(3)})</title></g>`;
    })
    .join('');
  const dots = pts
    .map((q) => `<circle cx="${x(q.i).toFixed(1)}" cy="${y(q.v).toFixed(1)}" r="3.5" class="${q.p.valid ? 'ok' : 'invalid'}"><title>${esc(q.p.runId)} · ${esc(q.p.startedAt)} · ${fmt(q.v)} ${esc(info.unit)}${q.p.valid ? '' : ' · invalid run'}</title></circle>`)
    .join('');
  const ticks = [min, min + span / 2, max].map((v) => `<text class="tick" x="${pad.l - 6}" y="${y(v) + 4}">${fmt(v)}</text><line class="grid" x1="${pad.l}" x2="${W - pad.r}" y1="${y(v)}" y2="${y(v)}"/>`).join('');
  const first = s.points[0]!.startedAt.slice(0, 10);
  const last = s.points[s.points.length - 1]!.startedAt.slice(0, 10);
  return `<figure><figcaption>${esc(info.label)} (${esc(info.unit)})${s.changePoints[id].length ? ` — <b class="flag">${s.changePoints[id].length} change point(s)</b>` : ''}</figcaption>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(info.label)}">${ticks}<path d="${path}"/>${changes}${dots}
<text class="tick" x="${pad.l}" y="${H - 10}" text-anchor="start">${esc(first)}</text><text class="tick" x="${W - pad.r}" y="${H - 10}">${esc(last)}</text></svg></figure>`;
}

function table(s: ScenarioHistory): string {
  const rows = s.points
    .map((p) => `<tr${p.valid ? '' : ' class="invalid"'}><td>${esc(p.startedAt)}</td><td>${esc(p.runId)}</td>${(Object.keys(seriesInfo) as SeriesId[]).map((id) => `<td>${p.values[id] === null ? '—' : fmt(p.values[id]!)}</td>`).join('')}</tr>`)
    .join('');
  return `<details><summary>${s.points.length} runs</summary><table><tr><th>started</th><th>run</th>${(Object.keys(seriesInfo) as SeriesId[]).map((id) => `<th>${esc(seriesInfo[id].label)}</th>`).join('')}</tr>${rows}</table></details>`;
}

const css = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}h2{margin-top:32px}figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
svg path{fill:none;stroke:#3366cc;stroke-width:1.5}circle.ok{fill:#3366cc}circle.invalid{fill:#fff;stroke:#999}.cp line{stroke:#d62728;stroke-dasharray:4 3;stroke-width:1.5}
.cp text{fill:#d62728;font-size:11px}.tick{font-size:11px;fill:#666;text-anchor:end}.grid{stroke:#eee}.flag{color:#d62728}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
tr.invalid{color:#999}.missing{color:#999}`;

export function renderHistoryHtml(h: History): string {
  const sections = h.scenarios
    .map((s) => `<section><h2>${esc(s.scenario)}</h2>${(Object.keys(seriesInfo) as SeriesId[]).map((id) => chart(s, id)).join('\n')}${table(s)}</section>`)
    .join('\n');
  const skipped = h.skipped.length ? `<details><summary>${h.skipped.length} result(s) skipped</summary><ul>${h.skipped.map((s) => `<li>${esc(s.path)}: ${esc(s.reason)}</li>`).join('')}</ul></details>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>bench history</title><style>${css}</style></head>
<body><h1>bench history</h1><p>${esc(h.dir)} · generated ${esc(h.generatedAt)} · change points: ${esc(h.method)}</p>${sections}${skipped}</body></html>\n`;
}

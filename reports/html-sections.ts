import type { ChartSection, ChartSpec } from './chart-spec.js';
import type { LatencyStats } from '../recorder/result-schema.js';
import { escapeHtml as h } from './escape.js';
import type { ReportModel } from './model.js';
import type { Evidence, Recommendation } from './recommendations/index.js';
import { compact } from './format.js';
import { attributionNote } from './verdict.js';

/** The server-rendered (static, escaped) parts of report.html. Every interpolation goes through h(). */

/** Cells are trusted HTML: callers escape them. */
export function table(headers: string[], rows: string[][], rowAttrs: string[] = []): string {
  const head = headers.map((c) => `<th>${h(c)}</th>`).join('');
  const body = rows.map((r, i) => `<tr${rowAttrs[i] ?? ''}>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function verdictSection(model: ReportModel): string {
  const v = model.verdict;
  const details = v.details.map((d) => `<li>${h(d)}</li>`).join('');
  return `<section id="verdict" class="verdict ${v.status}" data-status="${v.status}">
<p class="headline">${h(v.headline)}</p>${details ? `<ul>${details}</ul>` : ''}</section>`;
}

export function numbersSection(model: ReportModel): string {
  const s = model.result.summary;
  const r = s.reconciliation;
  const rows: [string, string][] = [
    ['target rate', `${compact(s.targetRate)}/s`],
    ['achieved rate', `${compact(s.achievedRate)}/s`],
    ['starts: target / sent / started ok', `${compact(s.targetStarts)} / ${compact(s.sentStarts)} / ${compact(s.startedOk)}`],
    ['dropped', compact(s.dropped)],
    [
      'errors',
      `${compact(s.errors)}${
        Object.keys(s.errorsByCode).length
          ? ` (${Object.entries(s.errorsByCode)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : ''
      }`,
    ],
    ['completed / failed', `${compact(s.completed)} / ${compact(s.failed)}`],
    ['reconciliation', r ? `completed ${r.completed}, failed ${r.failed}, timed out ${r.timedOut}, running ${r.running}, unaccounted ${r.unaccounted}` : 'not run'],
  ];
  return `<section id="numbers"><h2>Key numbers</h2>${table(
    ['', ''],
    rows.map(([k, v]) => [h(k), h(v)]),
  )}</section>`;
}

export function latencySection(model: ReportModel): string {
  const base = model.baseline?.summary.latencyMs;
  const ops = Object.entries(model.result.summary.latencyMs);
  if (ops.length === 0) return '';
  const cols = ['operation', 'count', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max', ...(base ? ['baseline p99'] : [])];
  const row = ([op, l]: [string, LatencyStats]) => [op, compact(l.count), compact(l.mean), compact(l.p50), compact(l.p90), compact(l.p99), compact(l.p999), compact(l.max), ...(base ? [compact(base[op]?.p99)] : [])].map(h);
  return `<section id="latency-summary"><h2>Latency (steady phase, ms)</h2>${table(cols, ops.map(row))}<p class="note">${h(attributionNote(model.result.summary))}</p></section>`;
}

export function thresholdsSection(model: ReportModel): string {
  const thresholds = model.result.summary.thresholds;
  if (thresholds.length === 0) return `<section id="thresholds"><h2>Thresholds</h2><p>No thresholds defined.</p></section>`;
  const rows = thresholds.map((t) => [h(t.metric), h(t.expression), h(compact(t.value)), `<span class="badge ${t.ok ? 'pass' : 'fail'}">${t.ok ? 'pass' : 'FAIL'}</span>`, t.abortOnFail ? 'yes' : '']);
  const attrs = thresholds.map((t) => ` class="${t.ok ? 'pass' : 'fail'}" data-status="${t.ok ? 'pass' : 'fail'}"`);
  return `<section id="thresholds"><h2>Thresholds</h2>${table(['metric', 'expression', 'observed', 'result', 'abort on fail'], rows, attrs)}</section>`;
}

function evidenceRow(e: Evidence): string[] {
  const unit = e.unit === 'ratio' ? '' : ` ${e.unit}`;
  return [h(e.metric), h(e.where ?? ''), h(e.stat), h(`${compact(e.observed, 2)}${unit}`), h(e.limit === null ? 'any' : `${compact(e.limit, 2)}${unit}`)];
}

function recommendationCard(rec: Recommendation, index: number): string {
  return `<article class="rec" data-rule="${h(rec.rule)}">
<h3>${index === 0 ? '<span class="lead">limiting factor</span> ' : ''}${h(rec.title)} <span class="badge conf-${rec.confidence}">${h(rec.confidence)} confidence</span></h3>
<p><b>Knob:</b> ${h(rec.knob)}</p><p>${h(rec.action)}</p>
${table(['evidence', 'where', 'statistic', 'observed', 'limit'], rec.evidence.map(evidenceRow))}</article>`;
}

export function recommendationsSection(model: ReportModel): string {
  const recs = model.recommendations;
  const source = model.server ? `server metrics from ${model.server.source.kind} (${model.server.source.endpoints.join(', ')})` : 'no server metrics (run with --prometheus-url for server-side evidence)';
  const body = recs.length ? recs.map(recommendationCard).join('\n') : '<p>No rule found evidence of a bottleneck.</p>';
  return `<section id="recommendations"><h2>Recommendations</h2><p class="muted">Evidence: ${h(source)}.</p>${body}</section>`;
}

/** Planned vs elapsed schedule: a run cut short says so beside its rates. */
function scheduleText(s: ReportModel['result']['summary']): string {
  if (s.plannedDurationS === undefined || s.elapsedDurationS === undefined) return '—';
  const cut = s.elapsedDurationS < s.plannedDurationS ? ` (cut short: rates are over the ${s.elapsedDurationS}s that ran)` : '';
  return `${s.elapsedDurationS}s of ${s.plannedDurationS}s planned${cut}`;
}

export function environmentSection(model: ReportModel): string {
  const r = model.result;
  const e = r.environment;
  const rows: [string, unknown][] = [
    ['run id', r.runId],
    ['status', r.status],
    ['scenario', r.scenario.name],
    ['description', r.scenario.description],
    ['started', r.startedAt],
    ['ended', r.endedAt ?? '—'],
    ['schedule', scheduleText(r.summary)],
    ['steady window', r.window ? `${r.window.start} → ${r.window.end}` : '—'],
    ['server', `${e.address} (Temporal ${e.serverVersion}, ${e.historyShardCount} shards${e.embeddedStack ? ', local stack' : ''})`],
    ['namespace / task queue', `${e.namespace} / ${e.taskQueue}`],
    ['generator', `${e.generatorHost}, ${e.generators} process(es), Node ${e.nodeVersion}`],
    ['harness', `${e.harnessVersion} @ ${e.gitSha}`],
    ['prometheus', e.prometheusUrl ?? '—'],
  ];
  const config = `<details><summary>scenario config</summary><pre>${h(JSON.stringify(r.scenario.config, null, 2))}</pre></details>`;
  return `<section id="environment"><h2>Environment</h2>${table(
    ['', ''],
    rows.map(([k, v]) => [h(k), h(v)]),
  )}${config}</section>`;
}

export function chartSections(model: ReportModel): string {
  return chartSectionsHtml(model.sections);
}

/** Empty figures the page's script draws from the JSON data block (matched by `data-chart`), in a grid. */
export function chartFigures(charts: ChartSpec[]): string {
  const figures = charts.map(
    (c) => `<figure class="chart" data-chart="${h(c.id)}"><figcaption>${h(c.title)} <span class="unit">(${h(c.unit)})</span>${c.subtitle ? `<br><span class="subtitle">${h(c.subtitle)}</span>` : ''}</figcaption>
<div class="plot"></div>${c.note ? `<p class="note">${h(c.note)}</p>` : ''}</figure>`,
  );
  return `<div class="charts">${figures.join('\n')}</div>`;
}

/** One section of figures each. */
export function chartSectionsHtml(sections: ChartSection[]): string {
  return sections
    .filter((s) => s.charts.length > 0)
    .map((s) => {
      const warning = s.warning ? `<p class="warning">⚠ ${h(s.warning)}</p>` : '';
      return `<section id="charts-${h(s.id)}"><h2>${h(s.title)}</h2>${warning}${chartFigures(s.charts)}</section>`;
    })
    .join('\n');
}

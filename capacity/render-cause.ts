import { escapeHtml as h } from '../reports/escape.js';
import { rounded } from '../reports/format.js';
import type { Evidence } from '../reports/recommendations/index.js';
import type { CapacityCause } from './cause.js';
import type { CapacityStep } from './run-capacity.js';

/** The limiting-factor section and the per-step resource cells of capacity.md and capacity.html. */

export const md = (text: string) => text.replace(/[|\\`*_<>]/g, (c) => `\\${c}`);
const observed = (e: Evidence) => `${rounded(e.observed, 3)} ${e.unit} (${e.stat})`;

function evidenceRows(cause: CapacityCause): string[][] {
  return cause.evidence.map((e) => [e.metric, e.where ?? '', observed(e), e.limit === null ? 'any' : rounded(e.limit, 3)]);
}

export function causeMarkdown(cause: CapacityCause | null): string[] {
  if (!cause) return ['No step was unsustainable up to --max-rps: nothing limited this search.'];
  const unexplained = cause.rule === 'unexplained';
  const lines = [
    `**${md(cause.title)}** (confidence ${cause.confidence}). Knob: ${md(cause.knob)}. ${md(cause.action)}`,
    '',
    unexplained ? '| closest candidate | where | observed | its limit |' : '| evidence | where | observed | limit |',
    '|---|---|---|---|',
    ...evidenceRows(cause).map((r) => `| ${r.map(md).join(' | ')} |`),
  ];
  if (cause.evidence.length === 0) lines.push('| (no signal was measured) | | | |');
  if (cause.missingData?.length) lines.push('', `Data that was missing: ${cause.missingData.map(md).join('; ')}.`);
  return lines;
}

export function causeHtml(cause: CapacityCause | null): string {
  if (!cause) return '<p>No step was unsustainable up to --max-rps: nothing limited this search.</p>';
  const unexplained = cause.rule === 'unexplained';
  const head = unexplained ? ['closest candidate', 'where', 'observed', 'its limit'] : ['evidence', 'where', 'observed', 'limit'];
  const rows = evidenceRows(cause)
    .map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`)
    .join('');
  const missing = cause.missingData?.length ? `<p class="missing-data">Data that was missing: ${h(cause.missingData.join('; '))}.</p>` : '';
  return `<p class="cause" data-rule="${h(cause.rule)}"><strong>${h(cause.title)}</strong> (confidence ${h(cause.confidence)}) — knob: <code>${h(cause.knob)}</code></p><p>${h(cause.action)}</p>
<table class="evidence"><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>${missing}`;
}

/** "1.93/2" host cores busy, and "history-0 0.81, postgres 0.42" for a step. */
export function stepResourceCells(s: CapacityStep): [string, string] {
  const r = s.measurement.resources;
  if (!r) return ['n/a', 'n/a'];
  return [
    `${r.hostBusyCores}/${r.hostCores}`,
    r.top
      .filter((c) => c.cores > 0)
      .slice(0, 3)
      .map((c) => `${c.id} ${c.cores}`)
      .join(', '),
  ];
}

/** The verdict cell: sustainable, the reasons, or why the measurement was discarded. */
export function verdictText(s: CapacityStep): string {
  if (s.remeasuredBecause) return `re-measured: ${s.remeasuredBecause}`;
  const verdict = s.verdict.sustainable ? 'sustainable' : s.verdict.reasons.join('; ');
  return s.remeasureOf !== undefined ? `${verdict} (measured again, replaces step ${s.remeasureOf})` : verdict;
}

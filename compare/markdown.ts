import { decodeHistogram } from '../metrics/histogram.js';
import { escapeMarkdown } from '../reports/escape.js';
import { byMagnitude, fixed, missing, percent, pValue } from '../reports/format.js';
import type { ResultFile } from '../recorder/result-schema.js';
import type { Comparison, ComparisonVerdict, MetricComparison } from './compare.js';

/** Markdown for a CI step summary or a PR comment; every string from a result file is escaped. */
const icon: Record<ComparisonVerdict, string> = { improved: '🟢 improved', unchanged: '⚪ unchanged', regressed: '🔴 regressed', inconclusive: '🟡 inconclusive (hosts differed)' };

const cell = escapeMarkdown;

function value(m: MetricComparison, v: number | null): string {
  if (v === null) return missing;
  if (m.unit === 'ratio') return percent(v, 2);
  if (m.unit === '/s') return `${fixed(v, 1)}/s`;
  return `${byMagnitude(v, 2, 1)} ms`;
}

/** A change on the metric's own scale: % for relative, percentage points for absolute rates. */
export function formatChange(m: Pick<MetricComparison, 'scale'>, v: number | null, signed = true): string {
  if (v === null || !Number.isFinite(v)) return missing;
  return m.scale === 'relative' ? percent(v, 1, signed) : percent(v, 2, signed, ' pp');
}

function row(m: MetricComparison): string {
  const ci = m.ci ? `${formatChange(m, m.ci[0])} … ${formatChange(m, m.ci[1])}` : '—';
  const noise = m.noiseBand === null ? '—' : `±${formatChange(m, m.noiseBand, false)}`;
  const p = m.pValue === null ? missing : pValue(m.pValue);
  const verdict = (m.judged ? icon[m.verdict] : '⚫ not judged') + (m.note ? ` (${m.note})` : '');
  return `| ${cell(m.label)} | ${value(m, m.baseline)} | ${value(m, m.candidate)} | ${formatChange(m, m.delta)} | ${ci} | ${noise} | ${p} | ±${formatChange(m, m.tolerance, false)} | ${verdict} |`;
}

const spectrumPoints = [50, 90, 99, 99.9, 99.99, 100];

/** Percentile spectrum of both runs from their whole-run HDR histograms (the text twin of the HTML overlay). */
function spectrum(base: ResultFile, cand: ResultFile, op: string): string[] {
  const b64b = base.histograms?.[op];
  const b64c = cand.histograms?.[op];
  if (!b64b || !b64c) return [];
  const hb = decodeHistogram(b64b);
  const hc = decodeHistogram(b64c);
  if (hb.totalCount === 0 || hc.totalCount === 0) return [];
  const at = (h: typeof hb, p: number) => (p === 100 ? h.maxValue : h.getValueAtPercentile(p)) / 1000;
  const lines = [``, `**${cell(op)} percentile spectrum (ms)**`, ``, `| percentile | baseline | candidate | change |`, `|---|---:|---:|---:|`];
  for (const p of spectrumPoints) {
    const vb = at(hb, p);
    const vc = at(hc, p);
    lines.push(`| ${p === 100 ? 'max' : `p${p}`} | ${fixed(vb, 2)} | ${fixed(vc, 2)} | ${vb > 0 ? formatChange({ scale: 'relative' }, vc / vb - 1) : missing} |`);
  }
  return lines;
}

export function renderComparisonMarkdown(c: Comparison, runs?: { baseline: ResultFile; candidate: ResultFile }): string {
  const lines = [
    `## bench compare: ${icon[c.verdict]}`,
    ``,
    `Baseline ${cell(c.baseline.runId)} (${cell(c.baseline.scenario)}, ${c.baseline.startedAt}) → candidate ${cell(c.candidate.runId)} (${cell(c.candidate.scenario)}, ${c.candidate.startedAt}).`,
    ``,
    `| metric | baseline | candidate | Δ | ${Math.round((1 - c.alpha) * 100)}% CI of Δ | noise | p | tolerance | verdict |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---|`,
    ...c.metrics.map(row),
  ];
  for (const w of c.warnings) lines.splice(3, 0, `> ⚠️ ${cell(w)}`, ``);
  if (runs) for (const op of ['start', 'e2e']) lines.push(...spectrum(runs.baseline, runs.candidate, op));
  lines.push(``, `<sub>Method: ${c.method}; α = ${c.alpha}. Only steady-phase intervals count.</sub>`, ``);
  return lines.join('\n');
}

import { escapeMarkdown as md } from './escape.js';
import { atS, availabilityFigures, codesText, faultLabel, hasAvailability, impactText } from './faults.js';
import type { ReportModel } from './model.js';
import { compact } from './format.js';
import { attributionNote } from './verdict.js';

/** summary.md: short enough for a GitHub step summary or PR comment (well under its 1 MiB limit). */
const icon = { pass: '✅', fail: '❌', invalid: '⚠️' } as const;

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

export function renderMarkdown(model: ReportModel, maxRecommendations = 5): string {
  const r = model.result;
  const s = r.summary;
  const v = model.verdict;
  const out: string[] = [];
  out.push(`### ${icon[v.status]} temporal-bench: ${md(r.scenario.name)}`, '');
  out.push(`**${md(v.headline)}**`, '');
  for (const d of v.details) out.push(`- ${md(d)}`);
  if (v.details.length) out.push('');
  const serverWarning = model.sections.find((section) => section.warning)?.warning;
  if (serverWarning) out.push(`> ⚠️ ${md(serverWarning)}`, '');

  out.push(row(['target', 'achieved', 'started ok', 'dropped', 'errors', 'completed', 'failed']), row(Array(7).fill('---')));
  out.push(row([`${compact(s.targetRate)}/s`, `${compact(s.achievedRate)}/s`, compact(s.startedOk), compact(s.dropped), compact(s.errors), compact(s.completed), compact(s.failed)]), '');

  const ops = Object.entries(s.latencyMs);
  if (ops.length) {
    out.push(row(['latency (ms)', 'p50', 'p90', 'p99', 'p99.9', 'max']), row(Array(6).fill('---')));
    for (const [op, l] of ops) out.push(row([md(op), compact(l.p50), compact(l.p90), compact(l.p99), compact(l.p999), compact(l.max)]));
    out.push('', `_${md(attributionNote(s))}_`, '');
  }

  if (s.thresholds.length) {
    out.push(row(['threshold', 'observed', 'result']), row(['---', '---', '---']));
    for (const t of s.thresholds) out.push(row([`${md(t.metric)}: ${md(t.expression)}`, compact(t.value), t.ok ? '✅ pass' : '❌ fail']));
    out.push('');
  }

  if (hasAvailability(r)) out.push(...availabilityLines(model));

  const recs = model.recommendations.slice(0, maxRecommendations);
  if (recs.length) {
    out.push('**Recommendations**', '');
    for (const rec of recs) {
      const e = rec.evidence[0]!;
      const limit = e.limit === null ? '' : ` (limit ${compact(e.limit, 2)})`;
      out.push(`- **${md(rec.title)}** (${rec.confidence}): ${md(rec.knob)}. Evidence: ${md(e.metric)}${e.where ? ` \\[${md(e.where)}\\]` : ''} ${md(e.stat)} ${compact(e.observed, 2)} ${md(e.unit)}${limit}`);
    }
    out.push('');
  }
  const env = r.environment;
  out.push(`<sub>run ${md(r.runId)} · Temporal ${md(env.serverVersion)}, ${env.historyShardCount} shards · ${md(env.namespace)} · harness ${md(env.gitSha)}</sub>`, '');
  return out.join('\n');
}

/** Faults, outage windows and the client-side damage, compact: one figures line, a table, a list. */
function availabilityLines(model: ReportModel): string[] {
  const r = model.result;
  const a = r.availability;
  const out: string[] = [];
  if (a) {
    const figures = availabilityFigures(a).map(([k, v]) => (k === 'lost work' && a.lostWork > 0 ? `❌ **${k} ${md(v)}**` : `${k} ${md(v)}`));
    out.push(`**Availability**: ${figures.join(' · ')}`, '');
  } else out.push('**Availability**: no analysis in result.json', '');
  const faults = r.faults ?? [];
  if (faults.length) {
    out.push(row(['fault at', 'fault', 'result', 'impact', 'outcome']), row(Array(5).fill('---')));
    faults.forEach((f, i) => {
      const when = f.firedAtS === null ? `not fired (planned ${atS(f.atS)})` : atS(f.firedAtS);
      const restarted = f.restartedAtS === null ? '' : `, back ${atS(f.restartedAtS)}`;
      out.push(row([md(when), `${md(faultLabel(f))}${md(restarted)}`, f.ok ? '✅ ok' : '❌ failed', md(impactText(r, i)), md(f.outcome)]));
    });
    out.push('');
  }
  for (const w of a?.windows ?? []) {
    const fault = w.fault === null ? undefined : faults[w.fault];
    const codes = codesText(w.errorsByCode);
    out.push(
      `- outage ${atS(w.startS)} – ${atS(w.endS)} (${compact(w.endS - w.startS)} s): ${md(w.signals.join(', '))}${fault ? ` · after ${md(faultLabel(fault))}` : ''} · ${compact(w.failedStarts)} failed starts${codes ? ` (${md(codes)})` : ''}`,
    );
  }
  if (a?.windows.length) out.push('');
  return out;
}

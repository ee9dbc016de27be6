import { escapeMarkdown as md } from './escape.js';
import type { ReportModel } from './model.js';
import { attributionNote, fmt } from './verdict.js';

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

  out.push(row(['target', 'achieved', 'started ok', 'dropped', 'errors', 'completed', 'failed']), row(Array(7).fill('---')));
  out.push(row([`${fmt(s.targetRate)}/s`, `${fmt(s.achievedRate)}/s`, fmt(s.startedOk), fmt(s.dropped), fmt(s.errors), fmt(s.completed), fmt(s.failed)]), '');

  const ops = Object.entries(s.latencyMs);
  if (ops.length) {
    out.push(row(['latency (ms)', 'p50', 'p90', 'p99', 'p99.9', 'max']), row(Array(6).fill('---')));
    for (const [op, l] of ops) out.push(row([md(op), fmt(l.p50), fmt(l.p90), fmt(l.p99), fmt(l.p999), fmt(l.max)]));
    out.push('', `_${md(attributionNote(s))}_`, '');
  }

  if (s.thresholds.length) {
    out.push(row(['threshold', 'observed', 'result']), row(['---', '---', '---']));
    for (const t of s.thresholds) out.push(row([`${md(t.metric)}: ${md(t.expression)}`, fmt(t.value), t.ok ? '✅ pass' : '❌ fail']));
    out.push('');
  }

  const recs = model.recommendations.slice(0, maxRecommendations);
  if (recs.length) {
    out.push('**Recommendations**', '');
    for (const rec of recs) {
      const e = rec.evidence[0]!;
      const limit = e.limit === null ? '' : ` (limit ${fmt(e.limit, 2)})`;
      out.push(`- **${md(rec.title)}** (${rec.confidence}): ${md(rec.knob)}. Evidence: ${md(e.metric)}${e.where ? ` \\[${md(e.where)}\\]` : ''} ${md(e.stat)} ${fmt(e.observed, 2)} ${md(e.unit)}${limit}`);
    }
    out.push('');
  }
  const env = r.environment;
  out.push(`<sub>run ${md(r.runId)} · Temporal ${md(env.serverVersion)}, ${env.historyShardCount} shards · ${md(env.namespace)} · harness ${md(env.gitSha)}</sub>`, '');
  return out.join('\n');
}

/** profile.md and profile.html (the report's page shell): what was measured per type, and what the scenario approximates. */
import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml as h } from '../reports/escape.js';
import { missing, share } from '../reports/format.js';
import { renderChartPage } from '../reports/page.js';
import type { TypeProfile } from './model.js';
import type { Profile } from './profile.js';

const counts = (t: TypeProfile) =>
  t.counts
    ? Object.entries(t.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'no steps'
    : 'not sampled';
const durations = (t: TypeProfile) => (t.durationMs ? `${t.durationMs.p50} / ${t.durationMs.p90} / ${t.durationMs.p99} / ${t.durationMs.max}` : missing);
const statuses = (t: TypeProfile) =>
  Object.entries(t.status)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
const payloads = (t: TypeProfile) => (t.payloadBytes ? `in ${t.payloadBytes.workflowInput}, out ${t.payloadBytes.workflowResult}; activities in ${t.payloadBytes.activityInput}, out ${t.payloadBytes.activityResult}` : missing);

/** One row per type: the cells both outputs show. */
function rows(p: Profile): string[][] {
  return p.types.map((t) => [t.type, share(t.share), `${t.perMinute.mean} / ${t.perMinute.p99} / ${t.perMinute.peak}`, durations(t), statuses(t), counts(t), `${t.sampled} (${share(t.typicalShare)} typical)`, payloads(t)]);
}

const headers = ['workflow type', 'share of starts', 'starts/min mean / p99 / peak', 'duration ms p50 / p90 / p99 / max', 'status', 'typical shape', 'histories read', 'payload bytes (median)'];

function intro(p: Profile): string {
  const sampledNote = p.listed < p.counted ? ` Shares and rates come from the newest ${p.listed} of ${p.counted} executions.` : '';
  return `Namespace \`${p.namespace}\`, ${p.since} – ${p.until}: ${p.counted} top-level executions started, ${p.perMinute.mean} a minute on average, peak minute ${p.perMinute.peak}.${sampledNote}`;
}

export function profileMarkdown(p: Profile): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const notes = p.types.flatMap((t) => t.approximations.map((a) => `- ${t.type}: ${a}`));
  return [
    `# bench profile: ${p.namespace}`,
    '',
    intro(p).replace(/`/g, '`'),
    '',
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows(p).map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
    '## What the scenario approximates',
    '',
    ...(notes.length ? notes : ['- nothing: every sampled shape is reproduced step for step']),
    '',
    'Read-only: List, Count and GetWorkflowExecutionHistory calls; payload sizes only, never contents.',
    '',
  ].join('\n');
}

export function profileHtml(p: Profile): string {
  const notes = p.types.flatMap((t) => t.approximations.map((a) => `<li>${h(t.type)}: ${h(a)}</li>`));
  const body = [
    `<section><p>${h(intro(p).replace(/`/g, ''))}</p>`,
    `<table class="profile-types"><thead><tr>${headers.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows(p).map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`),
    '</tbody></table></section>',
    `<section><h2>What the scenario approximates</h2><ul>${notes.join('') || '<li>nothing: every sampled shape is reproduced step for step</li>'}</ul>`,
    '<p class="muted">Read-only: List, Count and GetWorkflowExecutionHistory calls; payload sizes only, never contents.</p></section>',
  ].join('\n');
  return renderChartPage(`temporal-bench profile: ${p.namespace}`, body, []);
}

/** Writes profile.json, profile.md, profile.html and scenario.json into `dir`; returns their paths. */
export function writeProfile(dir: string, p: Profile, scenario: unknown): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['profile.json', `${JSON.stringify(p, null, 2)}\n`],
    ['profile.md', profileMarkdown(p)],
    ['profile.html', profileHtml(p)],
    ['scenario.json', `${JSON.stringify(scenario, null, 2)}\n`],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
    return file;
  });
}

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXml, jsonForScript } from '../../reports/escape.js';
import { renderHtml } from '../../reports/html.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { buildModel } from '../../reports/model.js';
import { fixtureResult, fixtureServer, series } from '../helpers/report-fixtures.js';

const evil = '<script>alert(1)</script>';
const evilError = '"><img src=x onerror=alert(1)>';

describe('escaping', () => {
  it('HTML-escapes markup and quotes', () => {
    expect(escapeHtml(evilError)).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml("a'b&c")).toBe('a&#39;b&amp;c');
  });

  it('embeds JSON in <script> so it cannot close the block, and round-trips', () => {
    const value = { name: `</script><script>alert(1)</script>`, amp: 'a&b', ls: 'x\u2028y\u2029z', comment: '<!--' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('escapes XML and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml('a<b>&"\u0001c')).toBe('a&lt;b&gt;&amp;&quot;c');
  });

  it('escapes Markdown syntax and inline HTML for GitHub summaries', () => {
    expect(escapeMarkdown(evil)).toBe('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(escapeMarkdown('a|b*c_[d](e)\nf')).toBe('a\\|b\\*c\\_\\[d\\]\\(e\\) f');
  });
});

describe('report outputs', () => {
  const result = fixtureResult({ scenario: evil, errors: { [evilError]: 1 } });
  const server = fixtureServer({ rpc_rate: [series({ service_name: 'frontend', operation: evilError }, 10)], sync_match_ratio: [series({ task_type: 'Workflow' }, 0.5)] });
  const model = buildModel(result, { server, now: new Date('2026-01-01T01:00:00Z') });

  it('report.html carries no raw hostile markup, a no-network CSP and hashed inline scripts only', () => {
    const html = renderHtml(model);
    expect(html).not.toContain(evil);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src( 'sha256-[A-Za-z0-9+/=]+'){3}(;|$)/);
    expect(/script-src[^;]*/.exec(csp)![0]).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)![1]!;
    const charts = (JSON.parse(data) as { charts: { id: string }[] }).charts;
    expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['rate', 'spectrum', 'errors', 'server-rpc_rate', 'server-pod_cpu']));
  });

  it('junit.xml has one test case per threshold and a failure for each failed one', () => {
    const xml = renderJunit(model);
    const suite = /<testsuite name="thresholds: [^"]*"[^>]*>([\s\S]*?)<\/testsuite>/.exec(xml)![1]!;
    expect(suite.match(/<testcase /g)).toHaveLength(2);
    expect(suite.match(/<failure /g)).toHaveLength(1);
    expect(suite).toMatch(/name="e2e: p\(99\)&lt;100">\s*<failure message="e2e: p\(99\)&lt;100 failed: observed 180"/);
    expect(xml).toContain('name="thresholds: &lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(xml).toContain('tests="3" failures="1"');
    expect(xml).not.toContain(evil);
  });

  it('junit.xml fails the run-validity case for an invalid run', () => {
    const invalid = buildModel(fixtureResult({ valid: false, invalidReasons: ['generator saturated'] }));
    expect(renderJunit(invalid)).toMatch(/run valid\)">\s*<failure message="invalid run: generator saturated" type="invalid-run"/);
  });

  it('summary.md has the verdict, numbers, thresholds with pass/fail and recommendations, all escaped', () => {
    const text = renderMarkdown(model);
    expect(text).toContain('### ❌ temporal-bench: &lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(text).toContain('**FAIL: 1 of 2 thresholds failed');
    expect(text).toContain('| start: p\\(99\\)&lt;500 | 24 | ✅ pass |');
    expect(text).toContain('| e2e: p\\(99\\)&lt;100 | 180 | ❌ fail |');
    expect(text).toMatch(/\*\*Sync-match rate is low\*\* \(high\): .*Evidence: poll\\_success\\_sync/);
    expect(text).not.toContain(evil);
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
  });

  it('marks an all-null chart as missing instead of drawing a zero line', () => {
    const nulls = buildModel(result, { server: fixtureServer({ rpc_p99: [series({ operation: 'x' }, null)] }) });
    const chart = nulls.sections.flatMap((s) => s.charts).find((c) => c.id === 'server-rpc_p99')!;
    expect(chart.status).toBe('missing');
  });

  it('inlines only client files that exist', () => {
    for (const f of ['axes.js', 'chart.js', 'main.js', 'style.css']) expect(fs.existsSync(new URL(`../../reports/client/${f}`, import.meta.url))).toBe(true);
  });
});

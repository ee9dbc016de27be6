import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../reports/chart-spec.js';
import { renderHtml } from '../../reports/html.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { buildModel } from '../../reports/model.js';
import { hostileCmd, withFaults } from '../helpers/fault-fixtures.js';
import { fixtureResult, fixtureServer, series } from '../helpers/report-fixtures.js';

const now = new Date('2026-01-01T01:00:00Z');
const server = fixtureServer({ rpc_rate: [series({ service_name: 'frontend' }, 10)] });
const model = buildModel(withFaults(fixtureResult()), { server, now });
const html = renderHtml(model);

function chartData(page: string): ChartSpec[] {
  const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page)![1]!;
  return (JSON.parse(data) as { charts: ChartSpec[] }).charts;
}

function section(page: string): string {
  return /<section id="availability">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
}

describe('report: faults and outage windows on the charts', () => {
  const charts = chartData(html);

  it('gives the start-rate chart the outage band and a marker per fault and restart', () => {
    const rate = charts.find((c) => c.id === 'rate')!;
    expect(rate.outages).toEqual([{ from: 16, to: 38, label: 'outage 16–38 s (errors, stall)' }]);
    expect(rate.markers).toEqual([
      { x: 15.2, label: 'kill history-1', kind: 'fault' },
      { x: 35.1, label: 'restart history-1', kind: 'restart' },
      { x: 45, label: `exec ${hostileCmd}`, kind: 'fault' },
    ]);
  });

  it('puts the same overlay on every time chart, server panels included, and none on the spectrum', () => {
    const time = charts.filter((c) => c.xKind === 'time');
    expect(time.map((c) => c.id)).toEqual(expect.arrayContaining(['in-flight', 'latency-start', 'errors', 'generator-cpu', 'server-rpc_rate', 'server-pod_cpu']));
    for (const c of time) {
      expect(
        c.outages?.map((o) => [o.from, o.to]),
        c.id,
      ).toEqual([[16, 38]]);
      expect(
        c.markers?.map((m) => m.x),
        c.id,
      ).toEqual([15.2, 35.1, 45]);
    }
    const spectrum = charts.find((c) => c.id === 'spectrum')!;
    expect(spectrum.markers).toBeUndefined();
    expect(spectrum.outages).toBeUndefined();
  });

  it('draws the band as rect.outage-window with data-start-s/data-end-s and markers as .fault-marker (client code)', () => {
    expect(html).toContain("class: 'outage-window', 'data-start-s': o.from, 'data-end-s': o.to");
    expect(html).toContain("m.kind === 'note' ? 'step-marker' : m.kind === 'change' ? 'change-point' : 'fault-marker'");
    expect(html).toContain("{ class: cls, 'data-kind': m.kind, 'data-at-s': m.x }");
  });

  it('adds nothing to a run without faults or windows', () => {
    const plain = renderHtml(buildModel(fixtureResult(), { server, now }));
    expect(plain).not.toContain('id="availability"');
    expect(plain).not.toContain('href="#availability"');
    for (const c of chartData(plain)) expect([c.id, c.markers, c.outages]).toEqual([c.id, undefined, undefined]);
    expect(renderMarkdown(buildModel(fixtureResult(), { now }))).not.toContain('Availability');
    expect(renderJunit(buildModel(fixtureResult(), { now }))).not.toContain('faults:');
  });
});

describe('report: Availability section', () => {
  const body = section(html);

  it('is linked from the nav and lists every fault with time, action, target, outcome and impact', () => {
    expect(html).toContain('<a href="#availability">availability</a>');
    const rows = [...body.matchAll(/<tr data-fault="(\d)" data-status="(\w+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((m) => [m[1], m[2]])).toEqual([
      ['0', 'pass'],
      ['1', 'fail'],
    ]);
    const cells = (row: string) => [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    expect(cells(rows[0]![3]!)).toEqual(['t=15.2 s', 'kill', 'history-1', 't=35.1 s', 'ok', 'outage', '0.800 s', '2.9 s', 'SIGKILL to history-1 (pid 4242); restarted as pid 4300 at t=35.1 s']);
    expect(cells(rows[1]![3]!).slice(0, 8)).toEqual(['t=45 s', 'exec', 'tc qdisc add &quot;&lt;b&gt;x&lt;/b&gt;&quot;', '—', 'FAILED', 'no visible impact', '—', '—']);
  });

  it('shows the window with duration, signals, its fault and failed starts by code', () => {
    expect(body).toContain('<tr class="outage-row" data-start-s="16" data-end-s="38"><td>t=16 s – t=38 s</td><td>22 s</td><td>errors, stall</td><td>kill history-1</td><td>37</td><td>UNAVAILABLE: 30, DEADLINE_EXCEEDED: 7</td></tr>');
  });

  it('shows the totals, lost work 0 as not red', () => {
    expect(body).toContain('<td>unavailable</td><td>22 s in 1 window(s)</td>');
    expect(body).toContain('<td>starts failed</td><td>37 (UNAVAILABLE: 30, DEADLINE_EXCEEDED: 7)</td>');
    expect(body).toContain('<td>started, answer lost</td><td>3</td>');
    expect(body).toContain('<td>delayed workflows</td><td>12</td>');
    expect(body).toContain('<span class="lost-work ok" data-lost-work="0">0</span>');
  });

  it('shows lost work in red when anything was lost', () => {
    const lost = section(renderHtml(buildModel(withFaults(fixtureResult(), 4), { now })));
    expect(lost).toContain('<span class="lost-work bad" data-lost-work="4">4</span>');
  });

  it('escapes fault commands and outcomes', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('"<b>x</b>"');
    expect(body).toContain('exited 2: &lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('summary.md and junit.xml with faults', () => {
  it('summary.md has the figures line, a fault table and the window', () => {
    const text = renderMarkdown(model);
    expect(text).toContain('**Availability**: unavailable 22 s in 1 window\\(s\\) · starts failed 37 \\(UNAVAILABLE: 30, DEADLINE\\_EXCEEDED: 7\\) · started, answer lost 3 · delayed workflows 12 · lost work 0');
    expect(text).toContain('| t=15.2 s | kill history-1, back t=35.1 s | ✅ ok | outage: first error after 0.800 s, recovered in 2.9 s | SIGKILL to history-1 \\(pid 4242\\); restarted as pid 4300 at t=35.1 s |');
    expect(text).toMatch(/\| t=45 s \| exec tc qdisc add &quot;&lt;b&gt;x&lt;\/b&gt;&quot; \| ❌ failed \| no visible impact \| exec .* exited 2: &lt;img src=x onerror=alert\\\(1\\\)&gt; \|/);
    expect(text).toContain('- outage t=16 s – t=38 s (22 s): errors, stall · after kill history-1 · 37 failed starts (UNAVAILABLE: 30, DEADLINE\\_EXCEEDED: 7)');
    expect(text).toContain('| unavailable\\_seconds: max&lt;=30 | 22 | ✅ pass |');
    expect(text).toContain('| recovery\\_time: max&lt;2000 | 2900 | ❌ fail |');
    expect(text).not.toContain('<img');
    expect(renderMarkdown(buildModel(withFaults(fixtureResult(), 4), { now }))).toContain('❌ **lost work 4**');
  });

  it('junit.xml has a test case per fault (failed when the action failed) and the availability thresholds', () => {
    const xml = renderJunit(model);
    const faults = /<testsuite name="faults: start-noop" tests="2" failures="1">([\s\S]*?)<\/testsuite>/.exec(xml)![1]!;
    expect(faults).toMatch(/<testcase [^>]*name="fault 1: kill history-1 at t=15.2 s">\s*<system-out>/);
    expect(faults).toMatch(/name="fault 2: exec tc qdisc add &quot;&lt;b&gt;x&lt;\/b&gt;&quot; at t=45 s">\s*<failure message="[^"]*exited 2: &lt;img[^"]*" type="fault">/);
    const thresholds = /<testsuite name="thresholds: [^"]*"[^>]*>([\s\S]*?)<\/testsuite>/.exec(xml)![1]!;
    expect(thresholds).toMatch(/<testcase [^>]*name="unavailable_seconds: max&lt;=30"><\/testcase>/);
    expect(thresholds).toMatch(/name="recovery_time: max&lt;2000">\s*<failure message="recovery_time: max&lt;2000 failed: observed 2900"/);
    // 4 thresholds (2 failed) + run validity + 2 faults (1 failed).
    expect(xml).toContain('<testsuites name="temporal-bench" tests="7" failures="3">');
    expect(xml).not.toContain('<img');
  });
});

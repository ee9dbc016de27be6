import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stackOptionsFromArgs } from '../../cli/commands/stack.js';
import { fetchServerMetrics } from '../../metrics/prometheus-source.js';
import { readServerMetrics, type QueryResult, type ServerMetricsSnapshot } from '../../metrics/prometheus-snapshot.js';
import { formatDuration, parseDurationSeconds, queryRangeSeconds, rateWindowFor, secondsFlag, stepFor } from '../../metrics/rate-window.js';
import { indexSamples, parseExposition, declaredFamilies, ScrapeEvaluator } from '../../metrics/scrape.js';
import { defaultQueryConfig, mergeQueryConfig, type QueryConfig } from '../../metrics/server-queries.js';
import { evaluateRules, rules } from '../../reports/recommendations/index.js';
import { serverSections } from '../../reports/server-charts.js';
import { snapshotWindow, windowWarning } from '../../reports/server-window.js';
import { fixtureResult } from '../helpers/report-fixtures.js';

const t0 = 1767225600; // 2026-01-01T00:00:00Z
const iso = (s: number) => new Date(s * 1000).toISOString();
const only = (config: QueryConfig, ...ids: string[]): QueryConfig => ({ ...config, queries: config.queries.filter((q) => ids.includes(q.id)) });

describe('rate windows from the scrape interval (Grafana $__rate_interval)', () => {
  it('is max(step + scrape, 4 × scrape) with a step never finer than the scrape', () => {
    expect(rateWindowFor(2, stepFor(60, 2))).toBe(8);
    expect(rateWindowFor(1, stepFor(60, 1))).toBe(4);
    expect(rateWindowFor(30, stepFor(180, 30))).toBe(120);
    expect(stepFor(3600, 2)).toBe(15);
    expect(rateWindowFor(2, stepFor(3600, 2))).toBe(17);
  });

  it('reads and writes PromQL durations and finds the range a query reads', () => {
    expect(formatDuration(8)).toBe('8s');
    expect(formatDuration(120)).toBe('2m');
    expect(formatDuration(90)).toBe('1m30s');
    expect(parseDurationSeconds('1m30s')).toBe(90);
    expect(parseDurationSeconds('soon')).toBeUndefined();
    expect(queryRangeSeconds('sum by (op) (rate(service_requests{a="[9m]"}[8s]))')).toBe(8);
    expect(queryRangeSeconds('histogram_quantile(0.99, sum by (le) (rate(x_bucket[2m])))')).toBe(120);
    expect(queryRangeSeconds('sum(temporal_worker_task_slots_available{})')).toBe(0);
    expect(secondsFlag('30s', '--scrape-interval')).toBe(30);
    expect(secondsFlag('45', '--scrape-interval')).toBe(45);
    expect(secondsFlag(undefined, '--rate-window')).toBeUndefined();
    expect(() => secondsFlag('soon', '--rate-window')).toThrow(/--rate-window must be a duration/);
  });

  it('lets bench stack up scrape every 1-60 s', () => {
    const args = {
      dir: '/tmp/x',
      'server-version': '1.24.2',
      persistence: 'sqlite',
      'postgres-url': 'postgres://postgres@127.0.0.1:5432/temporal',
      'pg-max-conns': 4,
      shards: 16,
      topology: 'single',
      replicas: 1,
      port: 7233,
      'internal-port-base': 7234,
      'metrics-port': 8000,
      'prometheus-port': 9090,
      prometheus: true,
      'dynamic-config': [],
      'scrape-interval': 30,
    } as unknown as Parameters<typeof stackOptionsFromArgs>[0];
    expect(stackOptionsFromArgs(args).scrapeIntervalSeconds).toBe(30);
    expect(() => stackOptionsFromArgs({ ...args, 'scrape-interval': 61 })).toThrow(/1-60 seconds, got 61/);
  });
});

/** A Prometheus behind `fetch`: what its targets, metadata and series APIs say, and range-query answers by metric. */
function fakePrometheus(o: { scrapeInterval?: string; exportedBy: string[]; seriesOnly?: string[]; answer: (promql: string) => object }) {
  const ranges: URLSearchParams[] = [];
  const target = { job: 'temporal', instance: '127.0.0.1:8000' };
  const reply = (data: unknown) => new Response(JSON.stringify({ status: 'success', data }));
  vi.stubGlobal('fetch', async (input: string | URL) => {
    const url = new URL(String(input));
    const q = url.searchParams;
    switch (url.pathname) {
      case '/api/v1/query':
        return reply({ resultType: 'vector', result: [] });
      case '/api/v1/targets':
        return reply({ activeTargets: [{ labels: target, scrapeUrl: 'http://127.0.0.1:8000/metrics', health: 'up', lastScrape: iso(t0 + 100), ...(o.scrapeInterval ? { scrapeInterval: o.scrapeInterval } : {}) }] });
      case '/api/v1/targets/metadata':
        return reply(o.exportedBy.includes(q.get('metric')!) ? [{ target, type: 'counter', help: '', unit: '' }] : []);
      case '/api/v1/series': {
        const name = /"(.*)"/.exec(q.get('match[]')!)![1]!;
        return reply(o.seriesOnly?.includes(name) ? [{ __name__: name, job: 'bench', instance: 'gone:1' }] : []);
      }
      case '/api/v1/query_range':
        ranges.push(q);
        return new Response(JSON.stringify(o.answer(q.get('query')!)));
    }
    return new Response('not found', { status: 404 });
  });
  return ranges;
}

const matrix = (values: [number, string][]) => ({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { service_name: 'frontend', operation: 'StartWorkflowExecution' }, values }] } });
const empty = { status: 'success', data: { resultType: 'matrix', result: [] } };

describe('zero, missing and failed are told apart', () => {
  afterEach(() => vi.unstubAllGlobals());
  const config = only(defaultQueryConfig(), 'rpc_rate', 'resource_exhausted', 'pod_cpu', 'persistence_p99', 'worker_slots_available');
  const answer = (promql: string) => {
    if (promql.includes('service_requests')) return matrix([[t0, '8']]);
    if (promql.includes('persistence_latency_bucket')) return { status: 'error', errorType: 'bad_data', error: 'parse error: unexpected something' };
    return empty;
  };

  it('from Prometheus: metadata says exported (zero), nothing anywhere says missing, an error says failed', async () => {
    const ranges = fakePrometheus({ scrapeInterval: '2s', exportedBy: ['service_requests', 'service_errors_resource_exhausted', 'persistence_latency'], seriesOnly: ['temporal_worker_task_slots_available'], answer });
    const snap = await fetchServerMetrics({ url: 'http://prom.test', run: { start: new Date(t0 * 1000), end: new Date((t0 + 60) * 1000) }, config });
    const byId = Object.fromEntries(snap.results.map((r) => [r.id, r]));
    expect(byId.rpc_rate!.status).toBe('ok');
    expect(byId.resource_exhausted).toMatchObject({ status: 'zero', series: [] });
    // Series of the run's (gone) workers in the window: exported, though no current target declares it.
    expect(byId.worker_slots_available!.status).toBe('zero');
    expect(byId.pod_cpu).toMatchObject({ status: 'missing', absent: ['container_cpu_usage_seconds_total'] });
    expect(byId.persistence_p99).toMatchObject({ status: 'error', error: expect.stringContaining('parse error') });

    // 2-s scrape, 60-s run: step 2 s, window 8 s, the range starting one window before t0.
    expect(snap).toMatchObject({ rateWindowSeconds: 8, scrapeIntervalSeconds: 2, scrapeIntervalSource: 'Prometheus targets', stepSeconds: 2, schemaVersion: 2 });
    expect(byId.rpc_rate!.query).toBe('sum by (service_name, operation) (rate(service_requests{}[8s]))');
    expect(ranges.map((q) => Number(q.get('start')))).toEqual(Array(5).fill(t0 - 8));
    expect(snap.window.start).toBe(iso(t0 - 8));
  });

  it('takes --scrape-interval when Prometheus does not say, and --rate-window over both', async () => {
    fakePrometheus({ exportedBy: ['service_requests'], answer });
    const run = { start: new Date(t0 * 1000), end: new Date((t0 + 180) * 1000) };
    const flagged = await fetchServerMetrics({ url: 'http://prom.test', run, config: only(config, 'rpc_rate'), scrapeIntervalSeconds: 30 });
    expect(flagged).toMatchObject({ rateWindowSeconds: 120, scrapeIntervalSeconds: 30, scrapeIntervalSource: '--scrape-interval', stepSeconds: 30 });
    expect(flagged.results[0]!.query).toContain('[2m]');
    const fixed = await fetchServerMetrics({ url: 'http://prom.test', run, config: only(config, 'rpc_rate'), scrapeIntervalSeconds: 30, rateWindowSeconds: 300 });
    expect(fixed.results[0]!.query).toContain('[5m]');
    const fromConfig = await fetchServerMetrics({ url: 'http://prom.test', run, config: mergeQueryConfig(only(config, 'rpc_rate'), { rateWindow: '3m' }) });
    expect(fromConfig.results[0]!.query).toContain('[3m]');
  });

  it('from direct scrapes: a # TYPE line or a sample means exported', () => {
    const text = `# TYPE service_errors_resource_exhausted counter
# TYPE service_requests counter
service_requests{service_name="frontend",operation="StartWorkflowExecution"} COUNT
`;
    const ev = new ScrapeEvaluator(only(config, 'rpc_rate', 'resource_exhausted', 'pod_cpu'), 5);
    for (const [t, n] of [
      [100, 10],
      [105, 50],
    ] as const) {
      const body = text.replace('COUNT', String(n));
      ev.add(t, indexSamples(parseExposition(body)), declaredFamilies(body));
    }
    const byId = Object.fromEntries(ev.results().map((r) => [r.id, r]));
    expect(byId.rpc_rate).toMatchObject({ status: 'ok', query: 'sum by (service_name, operation) (rate(service_requests{}[5s]))' });
    expect(byId.rpc_rate!.series[0]!.points).toEqual([[105, 8]]);
    expect(byId.resource_exhausted!.status).toBe('zero');
    expect(byId.pod_cpu).toMatchObject({ status: 'missing', absent: ['container_cpu_usage_seconds_total'] });
  });
});

/** A 2-s-step snapshot of a 60-s run (steady t=10–50 s) whose rpc_rate reads 100/s while its window reaches before steady. */
function steadySnapshot(window: number, extra: QueryResult[] = []): { snapshot: ServerMetricsSnapshot; result: ReturnType<typeof fixtureResult> } {
  const result = fixtureResult({ intervals: 60, startedAt: iso(t0) });
  result.window = { start: iso(t0 + 10), end: iso(t0 + 50) };
  const points: [number, number][] = [];
  for (let t = t0 - window; t <= t0 + 60; t += 2) points.push([t, t - window < t0 + 10 || t > t0 + 50 ? 100 : 8]);
  const rpc: QueryResult = {
    id: 'rpc_rate',
    group: 'rpc',
    title: 'RPC rate',
    unit: 'ops/s',
    query: `sum by (service_name, operation) (rate(service_requests{}[${formatDuration(window)}]))`,
    status: 'ok',
    series: [{ labels: { service_name: 'frontend', operation: 'X' }, points }],
  };
  const snapshot: ServerMetricsSnapshot = {
    schemaVersion: 2,
    source: { kind: 'prometheus', endpoints: ['http://prom.test'] },
    window: { start: iso(t0 - window), end: iso(t0 + 60) },
    stepSeconds: 2,
    collectedAt: iso(t0 + 70),
    rateWindowSeconds: window,
    scrapeIntervalSeconds: 2,
    results: [rpc, ...extra],
  };
  return { snapshot, result };
}

describe('steady-window numbers and the panels', () => {
  it('gives rules only points whose window lies inside the steady window, and cites it', () => {
    const p99 = (value: (t: number) => number): QueryResult => ({
      id: 'persistence_p99',
      group: 'persistence',
      title: 'p99',
      unit: 'ms',
      status: 'ok',
      query: 'histogram_quantile(0.99, sum by (le, operation) (rate(persistence_latency_bucket{}[8s]))) * 1000',
      series: [{ labels: { operation: 'CreateWorkflowExecution' }, points: Array.from({ length: 35 }, (_, i) => [t0 - 8 + 2 * i, value(t0 - 8 + 2 * i)] as [number, number]) }],
    });
    // Slow only while the window reaches into warm-up: not the steady state.
    const warmupOnly = steadySnapshot(8, [p99((t) => (t - 8 < t0 + 10 ? 500 : 8))]);
    const rule = rules.find((r) => r.id === 'persistence-latency')!;
    expect(rule.evaluate({ result: warmupOnly.result, server: warmupOnly.snapshot })).toBeNull();
    const slow = steadySnapshot(8, [p99(() => 120)]);
    const rec = rule.evaluate({ result: slow.result, server: slow.snapshot })!;
    expect(rec.evidence[0]).toMatchObject({ observed: 120, stat: 'p75 over steady t=10–50 s, rate window 8s' });
  });

  it('marks the points whose window reaches before t0, prints the window, draws zero as zero', () => {
    const zero: QueryResult = { id: 'resource_exhausted', group: 'rpc', title: 'RE', unit: 'ops/s', query: 'sum(rate(service_errors_resource_exhausted{}[8s]))', status: 'zero', series: [] };
    const missing: QueryResult = { id: 'pod_cpu', group: 'resources', title: 'CPU', unit: 'cores', query: 'sum(rate(container_cpu_usage_seconds_total{}[8s]))', status: 'missing', absent: ['container_cpu_usage_seconds_total'], series: [] };
    const { snapshot, result } = steadySnapshot(8, [zero, missing]);
    const charts = serverSections(snapshot, result.startedAt, result).flatMap((s) => s.charts);
    const rpc = charts.find((c) => c.id === 'server-rpc_rate')!;
    expect(rpc.subtitle).toBe('rate window 8s · scrape interval 2 s');
    expect(rpc.series[0]!.x![0]).toBe(-8);
    expect(rpc.bands).toContainEqual({ from: -8, to: 8, label: 'rate window (8s) reaches before t0' });
    expect(charts.find((c) => c.id === 'server-resource_exhausted')).toMatchObject({ status: 'ok', series: [{ x: [-8, 60], y: [0, 0] }] });
    expect(charts.find((c) => c.id === 'server-pod_cpu')).toMatchObject({ status: 'missing', message: expect.stringContaining('no target exports container_cpu_usage_seconds_total') });
  });

  it('warns when the steady window is shorter than two rate windows', () => {
    expect(windowWarning(steadySnapshot(8).result, steadySnapshot(8).snapshot)).toBeUndefined();
    expect(windowWarning(steadySnapshot(30).result, steadySnapshot(30).snapshot)).toMatch(/steady window \(40 s\) is shorter than two rate windows \(2 × 30s/);
    const long = steadySnapshot(120);
    expect(windowWarning(long.result, long.snapshot)).toMatch(/shorter than the rate window 2m.*recommendations use no server rates/);
    expect(serverSections(long.snapshot, long.result.startedAt, long.result)[0]!.warning).toMatch(/Run at least 4m steady/);
    // No point lies inside: no evidence from server rates at all.
    expect(evaluateRules({ result: long.result, server: long.snapshot }).filter((r) => r.rule === 'frontend-rps-limit')).toEqual([]);
  });

  it('still reads version 1 files, whose window is the [1m] in their queries', () => {
    const { snapshot } = steadySnapshot(60);
    const v1 = { ...snapshot, schemaVersion: 1, rateWindowSeconds: undefined, scrapeIntervalSeconds: undefined };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-v1-'));
    fs.writeFileSync(path.join(dir, 'server-metrics.json'), JSON.stringify(v1));
    const read = readServerMetrics(dir)!;
    expect(snapshotWindow(read)).toBe(60);
    fs.writeFileSync(path.join(dir, 'server-metrics.json'), JSON.stringify({ ...v1, schemaVersion: 3 }));
    expect(() => readServerMetrics(dir)).toThrow(/reads 1 and 2/);
  });
});

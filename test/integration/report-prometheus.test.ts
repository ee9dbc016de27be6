import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServerMetricsSnapshot } from '../../metrics/prometheus-snapshot.js';
import { startDirectScrape, type DirectScrape } from '../../metrics/scrape-sampler.js';
import { generateReport } from '../../reports/generate.js';
import { registerScrapeTarget } from '../../stack/prometheus.js';
import { waitForPrometheus, type PromSample } from '../helpers/prometheus.js';
import { fixtureResult, writeResultsDir } from '../helpers/report-fixtures.js';
import { repoRoot } from '../helpers/test-stack.js';

const stack = inject('stack');
const workflowsPath = path.join(repoRoot, 'test', 'fixtures', 'trivial-workflow.ts');

/** An instant query that cannot hang the suite: every request is bounded. */
async function instant(url: string, query: string): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: { result: PromSample[] }; error?: string };
  if (body.status !== 'success') throw new Error(`PromQL ${query} failed: ${body.error}`);
  return body.data.result;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Real traffic on the shared stack (workflow starts run by a real worker whose SDK metrics the
 * stack's Prometheus scrapes), then a report over that window: the server panels must hold real
 * series, fetched from Prometheus and, separately, computed from direct scrapes.
 */
describe('report with server metrics from the local stack', () => {
  const prometheusUrl = stack.prometheusUrl!;
  let snapshot: ServerMetricsSnapshot;
  let scraped: ServerMetricsSnapshot;
  let html: string;
  let unregister = () => {};

  beforeAll(async () => {
    const t0 = Date.now();
    const step = (what: string) => process.stderr.write(`[report-prometheus] ${((Date.now() - t0) / 1000).toFixed(1)}s ${what}\n`);
    const metricsPort = await freePort();
    Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } } });
    unregister = registerScrapeTarget(stack.dir, `report-test-${process.pid}`, { address: `127.0.0.1:${metricsPort}`, labels: { job: 'bench-worker' } });
    const scrape: DirectScrape = await startDirectScrape({ urls: stack.metricsUrls, intervalMs: 1000 });

    const taskQueue = `report-${process.pid}-${Date.now()}`;
    const nativeConnection = await NativeConnection.connect({ address: stack.frontendAddress });
    const connection = await Connection.connect({ address: stack.frontendAddress });
    const worker = await Worker.create({ connection: nativeConnection, namespace: 'bench', taskQueue, workflowsPath });
    const client = new Client({ connection, namespace: 'bench' });
    step('worker created');
    // The worker's metrics endpoint must be a live Prometheus target before the window opens.
    await waitForPrometheus('worker metrics target', async () => {
      const up = await instant(prometheusUrl, `up{job="bench-worker",instance="127.0.0.1:${metricsPort}"} == 1`);
      return up.length > 0 ? true : undefined;
    });

    step('worker target up');
    const start = new Date();
    await worker.runUntil(async () => {
      for (let batch = 0; batch < 6; batch++) {
        const handles = await Promise.all(Array.from({ length: 10 }, (_, i) => client.workflow.start('trivialWorkflow', { taskQueue, workflowId: `${taskQueue}-${batch}-${i}`, args: ['report'], workflowExecutionTimeout: '60s' })));
        await Promise.all(handles.map((h) => h.result()));
      }
    });
    const end = new Date();
    step('60 workflows completed');
    scraped = await scrape.stop();
    step('scrape stop returned');
    await connection.close();
    step('client connection closed');
    // Closing the worker's NativeConnection can block when an earlier test file's workers left the
    // core busy; the connection is done with and the process ends with the file, so do not wait on it.
    void nativeConnection.close().then(() => step('native connection closed'));
    step('direct scrape stopped');

    // Prometheus sees the window's end only after its next scrape of the server.
    await waitForPrometheus('a scrape after the window', async () => {
      const ts = await instant(prometheusUrl, 'max(timestamp(up{job="temporal"}))');
      return ts.length && Number(ts[0]!.value[1]) > end.getTime() / 1000 + 1 ? true : undefined;
    });

    step('Prometheus scraped past the window');
    const result = fixtureResult({ intervals: Math.max(2, Math.ceil((end.getTime() - start.getTime()) / 1000)), startedAt: start.toISOString() });
    result.window = { start: start.toISOString(), end: end.toISOString() };
    // The report's worker (SDK) panels select the run's own task queue, as a real run's result names it.
    result.environment.taskQueue = taskQueue;
    const dir = writeResultsDir(result);
    const out = await generateReport(dir, { prometheusUrl });
    snapshot = JSON.parse(fs.readFileSync(out.serverMetrics!, 'utf8')) as ServerMetricsSnapshot;
    html = fs.readFileSync(out.html, 'utf8');
  }, 240_000);
  afterAll(() => unregister());

  const byId = (s: ServerMetricsSnapshot, id: string) => s.results.find((r) => r.id === id)!;
  const hasValue = (s: ServerMetricsSnapshot, id: string) => byId(s, id).series.some((x) => x.points.some(([, v]) => v !== null && v > 0));

  it('saves non-empty service_requests and persistence_latency series from Prometheus in server-metrics.json', () => {
    expect(snapshot.source).toEqual({ kind: 'prometheus', endpoints: [prometheusUrl] });
    const rpc = byId(snapshot, 'rpc_rate');
    expect(rpc.status).toBe('ok');
    expect(rpc.series.find((s) => s.labels.operation === 'StartWorkflowExecution' && s.labels.service_name === 'frontend')).toBeDefined();
    expect(hasValue(snapshot, 'rpc_rate')).toBe(true);
    expect(byId(snapshot, 'persistence_p99').status).toBe('ok');
    expect(hasValue(snapshot, 'persistence_p99')).toBe(true);
    expect(hasValue(snapshot, 'state_transitions')).toBe(true);
    expect(hasValue(snapshot, 'worker_slots_available')).toBe(true);
  });

  it('shows what the local stack does not export as missing, never as zero', () => {
    expect(byId(snapshot, 'pod_cpu')).toMatchObject({ status: 'missing', series: [] });
  });

  it('puts those series into the report page data', () => {
    const data = JSON.parse(/<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)![1]!) as {
      charts: { id: string; status: string; series: { name: string; y: (number | null)[] }[] }[];
    };
    for (const id of ['server-rpc_rate', 'server-persistence_p99']) {
      const chart = data.charts.find((c) => c.id === id)!;
      expect(chart.status, id).toBe('ok');
      expect(
        chart.series.some((s) => s.y.some((v) => v !== null && v > 0)),
        id,
      ).toBe(true);
    }
  });

  it('computes the same panels from direct scrapes of the server /metrics', () => {
    expect(scraped.source.kind).toBe('scrape');
    expect(hasValue(scraped, 'rpc_rate')).toBe(true);
    expect(hasValue(scraped, 'persistence_p99')).toBe(true);
    expect(byId(scraped, 'pod_cpu').status).toBe('missing');
  });
});

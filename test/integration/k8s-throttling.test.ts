import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerMetrics } from '../../metrics/prometheus-snapshot.js';
import { generateReport } from '../../reports/generate.js';
import { spawnDetached, stopProcess } from '../../stack/processes.js';
import { prometheusBinary, prometheusReady, registerScrapeTarget, renderPrometheusConfig, targetsDir } from '../../stack/prometheus.js';
import { toYaml } from '../../stack/yaml.js';
import { pollUntil, queryPrometheus } from '../helpers/prometheus.js';
import { fixtureResult, writeResultsDir } from '../helpers/report-fixtures.js';
import { repoRoot, testStackOptions } from '../helpers/test-stack.js';

/**
 * The Kubernetes evidence end to end: a kubelet's cAdvisor and kube-state-metrics, recorded in
 * their exposition format (test/fixtures/k8s), are served by small HTTP endpoints that replay the
 * counters at their recorded rates; a real Prometheus scrapes them through the file_sd targets
 * directory, and `bench report --prometheus-url` (generateReport) runs the report's queries against it.
 */
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'k8s');
const options = testStackOptions('k8s', 17);
const promUrl = `http://127.0.0.1:${options.prometheusPort}`;
const history = 'temporal-history-7d9f8c6b5-x2kqp';

/** Serves the two recorded scrapes (`gapS` apart) interpolated to now: counters advance at their recorded rate. */
function replay(first: string, second: string, gapS: number): (elapsedS: number, nowMs: number) => string {
  const a = fs.readFileSync(first, 'utf8').split('\n');
  const b = fs.readFileSync(second, 'utf8').split('\n');
  return (elapsedS, nowMs) =>
    a
      .map((line, i) => {
        const m = /^(\S.*) (\S+) (\d+)$/.exec(line);
        if (line.startsWith('#') || !m) return line;
        const v1 = Number(/ (\S+) \d+$/.exec(b[i]!)![1]);
        const v = Number(m[2]) + ((v1 - Number(m[2])) * elapsedS) / gapS;
        return `${m[1]} ${v} ${nowMs}`;
      })
      .join('\n');
}

function serve(body: () => string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('Kubernetes CPU throttling from cAdvisor and kube-state-metrics through a real Prometheus', () => {
  let pid: number | undefined;
  const servers: http.Server[] = [];
  const started = Date.now();

  beforeAll(async () => {
    fs.rmSync(options.dir, { recursive: true, force: true });
    const promDir = path.join(options.dir, 'prometheus');
    fs.mkdirSync(targetsDir(options.dir), { recursive: true });
    fs.writeFileSync(path.join(promDir, 'prometheus.yml'), toYaml(renderPrometheusConfig([], path.join(targetsDir(options.dir), '*.json'), 1)));
    pid = spawnDetached(
      prometheusBinary(),
      [`--config.file=${path.join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${options.prometheusPort}`],
      path.join(options.dir, 'prometheus.log'),
      promDir,
    );
    await pollUntil('Prometheus ready', async () => ((await prometheusReady(promUrl)) ? true : undefined), 60_000);
    const cadvisor = replay(path.join(fixtures, 'cadvisor-0.prom'), path.join(fixtures, 'cadvisor-1.prom'), 10);
    const ksm = fs.readFileSync(path.join(fixtures, 'kube-state-metrics.prom'), 'utf8');
    servers.push(await serve(() => cadvisor((Date.now() - started) / 1000, Date.now())), await serve(() => ksm));
    const address = (s: http.Server) => `127.0.0.1:${(s.address() as AddressInfo).port}`;
    registerScrapeTarget(options.dir, 'kubelet-cadvisor', { address: address(servers[0]!), labels: { job: 'kubelet' } });
    registerScrapeTarget(options.dir, 'kube-state-metrics', { address: address(servers[1]!), labels: { job: 'kube-state-metrics' } });
  }, 120_000);

  afterAll(async () => {
    if (pid) await stopProcess(pid);
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  it('names temporal-history throttled at its CPU limit, with its replicas and the limit and request it has now', async () => {
    // Enough scrapes for rates over the window: the condition, not a fixed wait, decides.
    await pollUntil(
      '20 s of cAdvisor samples in Prometheus',
      async () => {
        const r = await queryPrometheus(promUrl, `count_over_time(container_cpu_cfs_throttled_periods_total{pod="${history}"}[1m])`);
        return Number(r[0]?.value[1] ?? 0) >= 20 ? true : undefined;
      },
      90_000,
    );
    const limits = await queryPrometheus(promUrl, 'kube_pod_container_resource_limits{resource="cpu"}');
    expect(limits).toHaveLength(4);

    const intervals = Math.floor((Date.now() - started) / 1000) - 2;
    const result = fixtureResult({ intervals, startedAt: new Date(Date.now() - intervals * 1000).toISOString() });
    const dir = writeResultsDir(result);
    const out = await generateReport(dir, { prometheusUrl: promUrl });

    const rec = out.recommendations.find((r) => r.rule === 'service-cpu-throttled')!;
    expect(rec, out.recommendations.map((r) => r.rule).join(', ')).toBeDefined();
    expect(out.recommendations[0]!.rule).toBe('service-cpu-throttled');
    expect(rec.title).toBe('temporal-history throttled at its CPU limit');
    expect(rec.knob).toBe('temporal-history: replicas (2 pods seen, ops page 3) or CPU limit (now 2 cores, request 500m)');
    expect(rec.confidence).toBe('high');
    const throttled = rec.evidence.find((e) => e.metric.startsWith('container_cpu_cfs_throttled'))!;
    expect(throttled.where).toBe(`service=history, pod=${history}`);
    expect(throttled.observed).toBeCloseTo(0.35, 1);
    const usage = rec.evidence.find((e) => e.metric.startsWith('container_cpu_usage_seconds_total'))!;
    // The container alone (1.95 cores), not the pod-level cgroup the queries exclude.
    expect(usage.observed).toBeCloseTo(1.95, 1);
    expect(usage.limit).toBe(2);
    // The other history pod (1.2 of 2 cores, 2% throttled) and the frontend are not named.
    expect(rec.evidence.map((e) => e.where).join(' ')).not.toMatch(/b7m4d|frontend/);
    expect(out.recommendations.find((r) => r.rule === 'service-memory-limit')).toBeUndefined();
    // The report stacks the pods' CPU by service against their limits (2 + 2 + 1 + 1 cores).
    const html = fs.readFileSync(out.html, 'utf8');
    expect(html).toContain('data-chart="resources-k8s-cpu"');
    expect(html).toContain('pod CPU limits 6 cores');
    const snapshot = readServerMetrics(dir)!;
    expect(snapshot.results.find((r) => r.id === 'pod_cpu_throttled_ratio')!.status).toBe('ok');
  }, 180_000);
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerMetricsSnapshot } from '../../metrics/prometheus-snapshot.js';
import { processesWithMark, readResult, scratch, startBenchRun } from './run-helpers.js';

// Ports of its own: 23000 + the suite's offset (nobody else's stack uses this block).
const port = 23000 + Number(process.env.BENCH_TEST_PORT_OFFSET ?? 0);

describe('bench run without --address: the embedded stack', () => {
  it('--rps 10 --duration 10s starts a stack and workers, runs, and stops them all', async () => {
    const dir = scratch('embedded');
    const stackDir = path.join(dir, 'stack');
    const out = path.join(dir, 'out');
    const mark = crypto.randomUUID();
    const { code, stderr } = await startBenchRun(['--rps', '10', '--duration', '10s', '--out', out, '--stack-dir', stackDir, '--stack-port', String(port), '--stack-shards', '4'], {
      BENCH_TEST_MARK: mark,
    }).done;
    expect([0, 98], stderr).toContain(code);
    expect(stderr).toMatch(/starting an embedded stack \(sqlite, 4 shards\)/);
    const r = readResult(out);
    // 10/s is a low rate: its one generator ran inside the coordinator (--generator-process auto).
    expect(r.environment).toMatchObject({ embeddedStack: true, address: `127.0.0.1:${port}`, historyShardCount: 4, generatorInProcess: true });
    expect(r.environment.prometheusUrl).toBe(`http://127.0.0.1:${port + 11}`);
    expect(r.summary.targetStarts).toBe(100);
    expect(Math.abs(r.summary.startedOk - 100)).toBeLessThanOrEqual(2);
    expect(r.summary.reconciliation).toMatchObject({ completed: r.summary.startedOk, unaccounted: 0 });
    // Every workflow's end-to-end latency came from the workers (the summary's e2e is steady-phase only).
    expect(r.timeline.reduce((n, t) => n + t.completed, 0)).toBe(r.summary.startedOk);
    expect(r.summary.latencyMs.e2e?.count).toBeGreaterThan(0);
    // The run ends with its report, whose server panels come from the embedded stack's Prometheus.
    const server = JSON.parse(fs.readFileSync(path.join(out, 'server-metrics.json'), 'utf8')) as ServerMetricsSnapshot;
    const real = (id: string) => server.results.find((q) => q.id === id)?.series.some((x) => x.points.some(([, v]) => v !== null && v > 0));
    expect(real('rpc_rate'), 'service_requests').toBe(true);
    expect(real('persistence_p99'), 'persistence_latency').toBe(true);
    for (const file of ['report.html', 'summary.md', 'junit.xml']) expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    // Stopped: no process the run started (server, Prometheus, workers, generators) is left, and its stack directory is gone.
    expect(processesWithMark(mark)).toEqual([]);
    expect(fs.existsSync(stackDir)).toBe(false);
  }, 300_000);

  it('with no Prometheus installed, the server panels come from a direct scrape of /metrics', async () => {
    const dir = scratch('embedded-noprom');
    const out = path.join(dir, 'out');
    // PROMETHEUS_BIN names the only binary considered: a missing one is Prometheus not installed.
    const { code, stderr } = await startBenchRun(['--rps', '10', '--duration', '10s', '--out', out, '--stack-dir', path.join(dir, 'stack'), '--stack-port', String(port + 20), '--stack-shards', '4'], {
      PROMETHEUS_BIN: path.join(dir, 'no-prometheus-here'),
    }).done;
    expect([0, 98], stderr).toContain(code);
    expect(stderr.match(/prometheus is not installed.*apt-get install prometheus/g), stderr).toHaveLength(1);
    const r = readResult(out);
    expect(r.environment.prometheusUrl ?? null).toBeNull();
    const server = JSON.parse(fs.readFileSync(path.join(out, 'server-metrics.json'), 'utf8')) as ServerMetricsSnapshot;
    expect(server.source.kind).toBe('scrape');
    const real = (id: string) => server.results.find((q) => q.id === id)?.series.some((x) => x.points.some(([, v]) => v !== null && v > 0));
    expect(real('rpc_rate'), 'service_requests').toBe(true);
    expect(real('persistence_p99'), 'persistence_latency').toBe(true);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('rpc_rate');
  }, 300_000);
});

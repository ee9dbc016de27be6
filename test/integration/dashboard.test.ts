import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { dashboardPanels } from '../../monitoring/dashboard.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/test-stack.js';

/**
 * Every panel of the Grafana dashboard, evaluated by the real Prometheus of the shared stack over a
 * real run's window: a query Prometheus rejects, or one with no series at all, fails. Panels that need
 * Kubernetes (cAdvisor, kube-state-metrics) cannot have data on a local stack: listed and skipped.
 */
const stack = inject('stack');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dashboard-'));

interface RangeAnswer {
  status: string;
  error?: string;
  data?: { result: unknown[] };
}

async function queryRange(expr: string, start: number, end: number): Promise<RangeAnswer> {
  const params = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: '2' });
  return (await (await fetch(`${stack.prometheusUrl}/api/v1/query_range?${params}`)).json()) as RangeAnswer;
}

describe('the Grafana dashboard', () => {
  it('is the file under deploy/grafana, and `bench dashboard` prints it', async () => {
    const printed = await runCli(['dashboard']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(fs.readFileSync(path.join(repoRoot, 'deploy', 'grafana', 'temporal-bench.json'), 'utf8'));
  });

  it('every panel query is valid PromQL with data after a run on the local stack (Kubernetes-only panels skipped by name)', async () => {
    const out = path.join(scratch, 'run');
    const run = await runCli(['run', '--address', stack.frontendAddress, '--stack-dir', stack.dir, '--rps', '5', '--duration', '20s', '--out', out], { timeoutMs: 120_000 });
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    const result = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as { startedAt: string; endedAt: string };
    const start = Date.parse(result.startedAt) / 1000;
    const end = Date.parse(result.endedAt) / 1000;
    const skipped: string[] = [];
    const problems: string[] = [];
    for (const { panels } of dashboardPanels()) {
      for (const panel of panels) {
        if (panel.scope === 'k8s') {
          skipped.push(panel.title);
          continue;
        }
        for (const t of panel.targets) {
          // Grafana's $__rate_interval is at least 4 scrape intervals; the stack scrapes every second.
          const answer = await queryRange(t.expr.replaceAll('$__rate_interval', '8s'), start, end);
          if (answer.status !== 'success') problems.push(`${panel.title}: invalid: ${answer.error}`);
          else if (!answer.data!.result.length) problems.push(`${panel.title}: no data for ${t.expr}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(skipped).toEqual(['Pod CPU (cores)', 'Pod CPU request', 'Pod CPU limit', 'Pod CPU throttled periods', 'Pod memory working set', 'Pod memory request', 'Pod memory limit']);
  }, 180_000);
});

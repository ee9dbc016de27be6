import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readServerMetrics, type ServerMetricsSnapshot } from '../../metrics/prometheus-snapshot.js';
import { pointsInside, runPhases } from '../../reports/server-window.js';
import type { ResultFile } from '../../recorder/result-schema.js';
import type { StackState } from '../../stack/state.js';
import { ownTestStack } from '../helpers/own-stack.js';
import { readResult, scratch, startBenchRun } from './run-helpers.js';

const shared = inject('stack');

/**
 * The report's server numbers cross-checked against the client's, as a user runs it: `bench run
 * --address --prometheus-url` at a fixed rate, then server-metrics.json averaged over the steady
 * window (only points whose rate window lies inside it) must match the run's own counts.
 */
async function runAt(stack: StackState, name: string, duration: string, warmup: string): Promise<{ result: ResultFile; server: ServerMetricsSnapshot; html: string; stderr: string }> {
  const out = path.join(scratch(`rates-${name}`), 'out');
  // The lag limit is loose: this checks server rates, not timer precision on a shared 2-core machine.
  const args = ['--address', stack.frontendAddress, '--prometheus-url', stack.prometheusUrl!, '--rps', '8', '--duration', duration, '--warmup', warmup, '--max-lag-ms', '250', '--out', out];
  const { code, stderr } = await startBenchRun(args).done;
  expect(code, stderr.slice(-3000)).toBe(0);
  return { result: readResult(out), server: readServerMetrics(out)!, html: fs.readFileSync(path.join(out, 'report.html'), 'utf8'), stderr };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Mean over the steady window of one series of a query (picked by its labels), and the points' times. */
function steadyMean(result: ResultFile, server: ServerMetricsSnapshot, id: string, labels: Record<string, string>): { mean: number; times: number[] } {
  const query = server.results.find((r) => r.id === id)!;
  expect(query.status, id).toBe('ok');
  const series = query.series.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(series, `${id} ${JSON.stringify(labels)}`).toBeDefined();
  const p = runPhases(result);
  const points = pointsInside(series!.points, server.rateWindowSeconds!, p.steadyStart, p.steadyEnd);
  return { mean: mean(points.map(([, v]) => v ?? 0)), times: points.map(([t]) => t) };
}

/**
 * The client's per-second counts through the same windows as the server's points. Completions come
 * in bursts (workers report them per second, a slow moment delays a handful): a windowed mean weighs
 * the middle of the steady window more than its edges, so only the same windows compare exactly.
 */
function clientWindowed(result: ResultFile, times: number[], window: number, count: (r: ResultFile['timeline'][number]) => number): number {
  const t0 = Date.parse(result.startedAt) / 1000;
  return mean(
    times.map((t) => {
      const end = Math.round(t - t0);
      return result.timeline.filter((r) => r.t >= end - window && r.t + r.durationS <= end).reduce((n, r) => n + count(r), 0) / window;
    }),
  );
}

/** Starts, completions and persistence creates seen by the server vs the client, over the steady window. */
function crossCheck(result: ResultFile, server: ServerMetricsSnapshot, tolerance: number) {
  const s = result.summary;
  // Every acknowledged start completed: the per-second completions below are the reconciled ones.
  expect(s.reconciliation).toMatchObject({ completed: s.startedOk, failed: 0, running: 0, unaccounted: 0 });
  const starts = steadyMean(result, server, 'rpc_rate', { service_name: 'frontend', operation: 'StartWorkflowExecution' });
  const completions = steadyMean(result, server, 'workflow_completions', {});
  const creates = steadyMean(result, server, 'persistence_rate', { operation: 'CreateWorkflowExecution' });
  const completionsPerS = clientWindowed(result, completions.times, server.rateWindowSeconds!, (r) => r.finished ?? r.completed);
  process.stderr.write(
    `[server-rates] window ${server.rateWindowSeconds}s (scrape ${server.scrapeIntervalSeconds}s): client starts ${s.achievedRate.toFixed(3)}/s, ` +
      `server starts ${starts.mean.toFixed(3)}/s (${starts.times.length} points); completions client ${completionsPerS.toFixed(3)}/s, server ${completions.mean.toFixed(3)}/s; ` +
      `persistence creates ${creates.mean.toFixed(3)}/s\n`,
  );
  expect(starts.times.length).toBeGreaterThan(0);
  expect(Math.abs(starts.mean / s.achievedRate - 1)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(completions.mean / completionsPerS - 1)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(creates.mean / s.achievedRate - 1)).toBeLessThanOrEqual(tolerance);
}

describe('server rates in the report match the client (rate windows from the scrape interval)', () => {
  it('1-s scrape, 60 s at 8/s: frontend starts within 5% of the achieved rate, completions and persistence creates too; window 4s on every panel', async () => {
    // A warm-up of at least one scrape: no steady window reaches back to before a series' first sample.
    const { result, server, html } = await runAt(shared, 'scrape1', '60s', '10s');
    expect(server).toMatchObject({ schemaVersion: 2, scrapeIntervalSeconds: 1, scrapeIntervalSource: 'Prometheus targets', rateWindowSeconds: 4 });
    // The range starts one window before t0.
    expect(Date.parse(server.window.start)).toBe(Date.parse(result.startedAt) - 4000);
    crossCheck(result, server, 0.05);
    expect(html).toContain('rate window 4s · scrape interval 1 s');
    expect(html).not.toContain('shorter than two rate windows');
  }, 240_000);

  describe('a stack whose Prometheus scrapes every 30 s, like production', () => {
    const stack = ownTestStack('scrape30', 16, { scrapeIntervalSeconds: 30, persistence: 'sqlite', historyShards: 16 });

    it('3 min at 8/s: a 2m window, the same numbers within 10%, and a warning that the run is short for it', async () => {
      const { result, server, html } = await runAt(stack(), 'scrape30', '3m', '30s');
      expect(server).toMatchObject({ scrapeIntervalSeconds: 30, rateWindowSeconds: 120, stepSeconds: 30 });
      crossCheck(result, server, 0.1);
      // A steady window under two 2-minute windows: said on the page, not hidden.
      const p = runPhases(result);
      expect(html).toContain('rate window 2m · scrape interval 30 s');
      expect(html).toContain(`steady window (${Math.round(p.steadyEnd - p.steadyStart)} s) is shorter than two rate windows`);
    }, 420_000);
  });
});

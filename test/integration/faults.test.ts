import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import type { StackOptions } from '../../stack/options.js';
import type { StackState } from '../../stack/state.js';
import type { ResultFile } from '../../recorder/result-schema.js';
import { launchChromium } from '../helpers/chromium.js';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { ownTestStack } from '../helpers/own-stack.js';
import { readResult, runT0, scratch, startBenchRun } from './run-helpers.js';

/** A run against a local stack with faults injected by `bench run --fault`, as a user runs it. */
async function runWithFaults(stack: StackState, name: string, args: string[], during?: (t0: number) => Promise<void>): Promise<{ code: number | null; stderr: string; result: ResultFile; out: string }> {
  const out = path.join(scratch(`faults-${name}`), 'out');
  const run = startBenchRun(['--address', stack.frontendAddress, '--stack-dir', stack.dir, '--drain-timeout', '90s', '--out', out, ...args]);
  if (during) await during(await runT0(out));
  const { code, stderr } = await run.done;
  return { code, stderr, result: readResult(out), out };
}

/**
 * Seconds from t0 at which the server serves a history request again after `fromS`, measured from the
 * test process: DescribeWorkflowExecution of an id that does not exist goes through the frontend to the
 * shard's history owner, and NOT_FOUND is a served answer. (The frontend alone answers seconds earlier,
 * while shards are still being acquired and starts still wait.) The independent yardstick for where the
 * outage window must end.
 */
async function servingAgainS(address: string, t0: number, fromS: number): Promise<number> {
  while (Date.now() < t0 + fromS * 1000) await new Promise((r) => setTimeout(r, 100)); // the kill's schedule, not readiness
  for (;;) {
    const ok = await Connection.connect({ address, connectTimeout: 500 })
      .then(async (c) => {
        try {
          await c.withDeadline(Date.now() + 1000, () => c.workflowService.describeWorkflowExecution({ namespace: 'bench', execution: { workflowId: 'faults-test-probe-never-started' } }));
          return true;
        } catch (err) {
          return (err as { code?: number }).code === 5; // NOT_FOUND: history answered
        } finally {
          await c.close();
        }
      })
      .catch(() => false);
    if (ok) return (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 200)); // polling the restarted server
  }
}

const stackAlive = (state: StackState) => state.processes.every((p) => fs.existsSync(`/proc/${p.pid}`));

/** A stack of the suite's own: faults break it. */
const ownStack = (name: string, slot: number, overrides: Partial<StackOptions>) => ownTestStack(name, slot, { historyShards: 8, prometheus: false, ...overrides });

describe('faults on a split stack (PostgreSQL, 2 history and 2 matching replicas)', () => {
  const split = ownStack('faults-split', 13, { topology: 'split', replicas: 2 });

  it('kill -9 of history-0 at 15 s, restarted 20 s later: nothing lost, any outage within the fault, the verdict names the fault', async () => {
    const { code, stderr, result, out } = await runWithFaults(split(), 'history', ['--scenario', 'failover', '--max-lag-ms', '250']);
    expect(code, stderr.slice(-2000)).not.toBe(98);
    const [fault] = result.faults!;
    expect(fault).toMatchObject({ action: 'kill', target: 'history-0', ok: true });
    expect(fault!.firedAtS).toBeGreaterThanOrEqual(15);
    expect(fault!.restartedAtS! - fault!.firedAtS!).toBeGreaterThanOrEqual(19.5);
    expect(result.summary.reconciliation!.unaccounted).toBe(0);
    expect(result.availability!.lostWork).toBe(0);
    for (const w of result.availability!.windows) {
      expect(w.startS).toBeGreaterThanOrEqual(fault!.firedAtS! - 3);
      expect(w.endS).toBeLessThanOrEqual(fault!.restartedAtS! + 3 + 30); // within the fault (to its recovery after restart)
    }
    expect(result.summary.valid, result.summary.invalidReasons.join('; ')).toBe(true);
    const summaryMd = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summaryMd).toMatch(/kill history-0/);
    expect(summaryMd).not.toMatch(/generator could not hold the rate/);
    // The stack is whole again: the restarted replica runs under its new pid, recorded for stack down.
    expect(stackAlive(JSON.parse(fs.readFileSync(path.join(split().dir, 'state.json'), 'utf8')) as StackState)).toBe(true);
  }, 300_000);

  it('pause of matching-0 and matching-1 for 10 s: no errors, completions stall, the window comes from the stall', async () => {
    const { code, stderr, result } = await runWithFaults(split(), 'matching', [
      '--rps',
      '5',
      '--duration',
      '40s',
      '--max-lag-ms',
      '250',
      '--fault',
      'at=15s,action=pause,target=matching-0,restart-after=10s',
      '--fault',
      'at=15s,action=pause,target=matching-1,restart-after=10s',
    ]);
    expect(code, stderr.slice(-2000)).not.toBe(98);
    expect(result.summary.errors).toBe(0);
    const windows = result.availability!.windows;
    expect(windows.length, JSON.stringify(result.availability)).toBeGreaterThanOrEqual(1);
    expect(windows.every((w) => w.signals.includes('stall'))).toBe(true);
    expect(windows[0]!.startS).toBeGreaterThanOrEqual(12);
    expect(windows[0]!.startS).toBeLessThanOrEqual(18);
    expect(result.summary.reconciliation!.unaccounted).toBe(0);
  }, 300_000);

  it("a fault that changes nothing measurable (kill of the internal worker service) is 'no visible impact'", async () => {
    const { code, stderr, result, out } = await runWithFaults(split(), 'worker', ['--rps', '5', '--duration', '25s', '--max-lag-ms', '250', '--fault', 'at=8s,action=kill,target=worker,restart-after=5s']);
    expect(code, stderr.slice(-2000)).toBe(0);
    expect(result.availability!.windows).toEqual([]);
    expect(result.availability!.faults).toEqual([expect.objectContaining({ fault: 0, impact: 'no visible impact' })]);
    expect(fs.readFileSync(path.join(out, 'summary.md'), 'utf8')).toMatch(/no visible impact/);
  }, 300_000);
});

describe('a server outage on a single-process PostgreSQL stack', () => {
  const single = ownStack('faults-single', 14, {});

  it('kill the server 10 s in for 20 s: one outage window of 20 s plus the server start-up and the clients reconnecting, verdict "server unavailable", not exit 98, shaded in the report', async () => {
    let backS = 0;
    const { code, stderr, result, out } = await runWithFaults(single(), 'server', ['--rps', '5', '--duration', '45s', '--max-lag-ms', '250', '--fault', 'at=10s,action=kill,target=server,restart-after=20s'], async (t0) => {
      backS = await servingAgainS(single().frontendAddress, t0, 30.5);
    });
    expect(code, stderr.slice(-2000)).not.toBe(98);
    const windows = result.availability!.windows;
    const fault = result.faults![0]!;
    expect(windows, JSON.stringify(result.availability)).toHaveLength(1);
    // Down 20 s, then the restarted server's own start-up (1–13 s on this machine), then the clients'
    // reconnect: calls still retrying wait out the SDK's retry interval (up to 5 s apart) and the workers'
    // pollers their own backoff, so the run's calls and completions resume up to ~10 s after a fresh
    // probe connection gets an answer. Clients see all three; the window must not end before the server is back.
    const startUpS = backS - fault.restartedAtS!;
    const windowS = windows[0]!.endS - windows[0]!.startS;
    expect(Math.abs(windows[0]!.startS - fault.firedAtS!)).toBeLessThanOrEqual(3);
    expect(windows[0]!.endS - backS, `server answered again at t=${backS.toFixed(1)} s`).toBeGreaterThanOrEqual(-3);
    expect(windows[0]!.endS - backS, `server answered again at t=${backS.toFixed(1)} s`).toBeLessThanOrEqual(10);
    expect(windowS - (20 + startUpS)).toBeGreaterThanOrEqual(-3);
    expect(windowS - (20 + startUpS)).toBeLessThanOrEqual(10);
    expect(windows[0]!.fault).toBe(0);
    expect(result.summary.reconciliation!.unaccounted).toBe(0);
    const summaryMd = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summaryMd).toMatch(/server unavailable/);
    expect(summaryMd).not.toMatch(/generator could not hold the rate/);
    expect(stderr).not.toMatch(/temporalio_client::retry/);

    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(out, 'report.html')).href);
      await page.waitForSelector('body[data-charts-drawn]');
      const band = await page.$$eval('figure[data-chart="rate"] svg rect.outage-window', (els) => els.map((e) => [Number(e.getAttribute('data-start-s')), Number(e.getAttribute('data-end-s'))]));
      expect(band).toEqual([[windows[0]!.startS, windows[0]!.endS]]);
    } finally {
      await close();
    }
  }, 300_000);
});

describe('bad --fault strings', () => {
  const shared = inject('stack');
  it.each([
    ['at=5s,action=explode,target=server', /action must be one of/],
    ['at=5s,action=kill,target=database', /unknown target 'database'/],
    ['at=50s,action=kill,target=server', /outside the 10s load/],
    ['at=5s,action=exec', /needs cmd=/],
    ['at=5s,action=kill,target=history-1', /the stack has no history-1/],
  ])('%s exits 2 with one line before any load is sent', async (fault, message) => {
    const out = path.join(scratch('faults-bad'), fault.replace(/\W/g, '_'));
    const result = await runCli(['run', '--address', shared.frontendAddress, '--stack-dir', shared.dir, '--rps', '2', '--duration', '10s', '--out', out, '--fault', fault]);
    expect(expectOneLineUsageError(result)).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });
});

import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackDown, stackUp } from '../../stack/stack.js';
import type { StackState } from '../../stack/state.js';
import { testStackOptions } from '../helpers/test-stack.js';
import { readResult, runT0, scratch, startBenchRun } from './run-helpers.js';

const rps = 10;
const durationS = 20;
const warmupS = 3;
const cooldownS = 3;
/** The server is stopped (SIGSTOP) from t0 + pauseAtS for pauseS: starts meant then are answered seconds late. */
const pauseAtS = 13;
const pauseS = 5;

/** Workflow ids of the run that completed, read from visibility (every page). */
async function completedIds(address: string, taskQueue: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const ids: string[] = [];
    let token: Uint8Array | undefined;
    do {
      const page = await connection.workflowService.listWorkflowExecutions({ namespace: 'bench', query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Completed'`, pageSize: 1000, nextPageToken: token });
      ids.push(...(page.executions ?? []).map((e) => e.execution!.workflowId!));
      token = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (token);
    return ids;
  } finally {
    await connection.close();
  }
}

/**
 * A server that stalls near the end of the steady window (the test stops its process for a few seconds,
 * as a GC pause or a hung node would): starts meant for the window's last seconds are answered after it
 * ended. Every start meant for the steady window must still be in the steady window's statistics.
 */
describe('attribution by intended time when the server stalls mid-run', () => {
  let limited: StackState;
  const options = testStackOptions('attribution', 12, { persistence: 'sqlite', historyShards: 16, prometheus: false });
  beforeAll(async () => {
    limited = await stackUp(options, () => undefined);
  }, 300_000);
  afterAll(async () => {
    await stackDown(options.dir, false, () => undefined);
  });

  it('every start intended in steady is counted there, errors are its failures, e2e counts what it started and completed', async () => {
    const out = path.join(scratch('attribution'), 'out');
    const args = ['--address', limited.frontendAddress, '--rps', String(rps), '--duration', `${durationS}s`, '--warmup', `${warmupS}s`, '--cooldown', `${cooldownS}s`];
    const run = startBenchRun([...args, '--drain-timeout', '60s', '--threshold', 'errors=rate<1', '--out', out]);
    const t0 = await runT0(out);
    // The stall is part of the experiment's schedule (relative to the run's t0), not a readiness wait.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 + pauseAtS * 1000 - Date.now())));
    const pids = limited.processes.map((p) => p.pid);
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, pauseS * 1000));
    for (const pid of pids) process.kill(pid, 'SIGCONT');
    const { code, stderr } = await run.done;
    // Thresholds may fail (99) and a starved 2-core box may mark the run invalid (98); the counts must hold regardless.
    expect([0, 98, 99], stderr).toContain(code);
    const r = readResult(out);
    const s = r.summary;
    const steady = r.timeline.filter((t) => t.phase === 'steady');
    const sum = (f: (t: (typeof steady)[number]) => number) => steady.reduce((n, t) => n + f(t), 0);
    const intended = sum((t) => t.target);
    expect(intended).toBe(rps * (durationS - warmupS - cooldownS));

    // The server really stalled: answers for the steady window came seconds late, some after it ended.
    expect(s.latencyMs.start!.max).toBeGreaterThan(3000);
    expect(s.outcomesByPhase?.steady?.afterPhaseEnd).toBeGreaterThan(0);

    // Every start intended in steady has its outcome there: started, failed or dropped.
    const errors = sum((t) => Object.values(t.errors).reduce((a, b) => a + b, 0));
    expect(sum((t) => t.started) + errors + sum((t) => t.dropped)).toBe(intended);
    expect(s.latencyMs.start!.count).toBe(sum((t) => t.started));
    expect(s.outcomesByPhase?.steady?.outcomes).toBe(intended - sum((t) => t.dropped));
    // The errors rate is the steady window's failed calls over its calls.
    const errorsThreshold = s.thresholds.find((t) => t.metric === 'errors')!;
    expect(errorsThreshold.value).toBeCloseTo(errors / (intended - sum((t) => t.dropped)), 6);

    // End-to-end: the workflows meant to start in steady that completed (from visibility, by id).
    const ids = await completedIds(limited.frontendAddress, r.environment.taskQueue);
    const meantInSteady = ids.filter((id) => {
      const tS = Number(id.slice(r.runId.length + 1)) / rps;
      return tS >= warmupS && tS < durationS - cooldownS;
    });
    expect(meantInSteady.length).toBeGreaterThan(0);
    expect(s.latencyMs.e2e!.count).toBe(meantInSteady.length);
    expect(sum((t) => t.completed)).toBe(meantInSteady.length);
    expect(s.reconciliation?.unaccounted).toBe(0);
  }, 400_000);
});

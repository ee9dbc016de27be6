import { describe, expect, inject, it } from 'vitest';
import { isAlive } from '../../stack/processes.js';
import { readState } from '../../stack/state.js';
import { runCli } from '../helpers/cli.js';
import { stackFlags } from '../helpers/test-stack.js';
import { runTrivialWorkflow } from '../helpers/trivial-worker.js';

async function upDownCycle(name: string, slot: number, extra: string[], expectedProcesses: number) {
  const { dir, flags } = stackFlags(name, slot);
  const first = await runCli(['stack', 'up', ...flags, ...extra], { timeoutMs: 300_000 });
  expect(first.code, first.stderr).toBe(0);
  const state = readState(dir)!;
  expect(state.processes).toHaveLength(expectedProcesses);
  try {
    return { state, flags, dir };
  } catch (err) {
    await runCli(['stack', 'down', '--dir', dir]);
    throw err;
  }
}

describe('bench stack up / down', () => {
  it('runs a trivial workflow with a TypeScript worker on the shared PostgreSQL stack', async () => {
    expect(await runTrivialWorkflow(inject('stack').frontendAddress)).toBe('hello stack');
  });

  it('sqlite: up twice is idempotent, serves a workflow, and down leaves no process alive', async () => {
    const { state, flags, dir } = await upDownCycle('sqlite', 1, ['--persistence', 'sqlite'], 2);
    try {
      expect(state.persistence).toBe('sqlite');
      const again = await runCli(['stack', 'up', ...flags, '--persistence', 'sqlite']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('already running');
      expect(readState(dir)!.processes.map((p) => p.pid)).toEqual(state.processes.map((p) => p.pid));

      const status = await runCli(['stack', 'status', '--dir', dir, '--json']);
      const parsed = JSON.parse(status.stdout) as { status: string; historyShards: number; frontendAddress: string; prometheusUrl: string };
      expect(parsed).toMatchObject({ status: 'running', historyShards: 512, frontendAddress: state.frontendAddress, prometheusUrl: state.prometheusUrl });

      expect(await runTrivialWorkflow(state.frontendAddress)).toBe('hello stack');
    } finally {
      const down = await runCli(['stack', 'down', '--dir', dir]);
      expect(down.code, down.stderr).toBe(0);
    }
    for (const p of state.processes) expect(isAlive(p.pid), `${p.id} pid ${p.pid}`).toBe(false);
    const after = await runCli(['stack', 'status', '--dir', dir, '--json']);
    expect(JSON.parse(after.stdout).status).toBe('stopped');
  });

  it('a stack whose server died is detected and reported, and the next up replaces it', async () => {
    const { state, flags, dir } = await upDownCycle('died', 3, ['--persistence', 'sqlite', '--no-prometheus'], 1);
    try {
      process.kill(state.processes[0]!.pid, 'SIGKILL');
      const status = await runCli(['stack', 'status', '--dir', dir]);
      expect(status.code).toBe(1);
      expect(status.stderr).toMatch(/the stack died: server \(pid \d+\) is not running/);
      const up = await runCli(['stack', 'up', ...flags, '--persistence', 'sqlite', '--no-prometheus'], { timeoutMs: 300_000 });
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toContain('died');
      expect(readState(dir)!.processes[0]!.pid).not.toBe(state.processes[0]!.pid);
    } finally {
      await runCli(['stack', 'down', '--dir', dir]);
    }
  });

  it('--topology split --replicas 2 starts six server processes and serves a workflow', { timeout: 300_000 }, async () => {
    const { state, dir } = await upDownCycle('split', 2, ['--topology', 'split', '--replicas', '2', '--no-prometheus'], 6);
    try {
      expect(state.processes.map((p) => p.id).sort()).toEqual(['frontend-0', 'history-0', 'history-1', 'matching-0', 'matching-1', 'worker-0']);
      expect(await runTrivialWorkflow(state.frontendAddress)).toBe('hello stack');
    } finally {
      await runCli(['stack', 'down', '--dir', dir]);
    }
    for (const p of state.processes) expect(isAlive(p.pid), `${p.id} pid ${p.pid}`).toBe(false);
  });
});

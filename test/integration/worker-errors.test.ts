import net from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';

const stack = inject('stack');
const base = ['worker', '--address', stack.frontendAddress, '--task-queue', 'worker-errors'];

describe('bench worker: bad options give exit 2 and one line, before any process is forked', () => {
  it.each([
    ['negative workflow slots', ['--workflow-slots', '-3'], /--workflow-slots must be a positive integer, got -3/],
    ['zero activity slots', ['--activity-slots', '0'], /--activity-slots must be a positive integer, got 0/],
    ['zero processes', ['--processes', '0'], /--processes must be a positive integer, got 0/],
    ['pollers above slots', ['--workflow-slots', '4', '--workflow-pollers', '8'], /--workflow-pollers \(8\) cannot exceed --workflow-slots \(4\)/],
    ['an unknown workflow kind', ['--kinds', 'noop,bogus'], /--kinds: unknown kind "bogus" \(known: noop, activity/],
  ])('%s', async (_name, extra, message) => {
    expect(expectOneLineUsageError(await runCli([...base, ...extra]))).toMatch(message);
  });

  it('an unreachable server', async () => {
    const result = await runCli(['worker', '--address', '127.0.0.1:1', '--task-queue', 'worker-errors']);
    expect(expectOneLineUsageError(result)).toBe('bench: cannot reach Temporal at 127.0.0.1:1: connection refused');
  });

  it('a stats port already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as net.AddressInfo;
      const result = await runCli([...base, '--stats-port', String(port)]);
      expect(expectOneLineUsageError(result)).toBe(`bench: cannot serve worker stats on 127.0.0.1:${port}: port already in use (--stats-port)`);
    } finally {
      blocker.close();
    }
  });

  it('a namespace that does not exist', async () => {
    const result = await runCli([...base, '--namespace', 'no-such-namespace']);
    expect(expectOneLineUsageError(result)).toMatch(/namespace no-such-namespace does not exist at /);
  });
});

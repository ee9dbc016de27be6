import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startWorkerCli } from '../helpers/bench-worker-cli.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { readResult, runT0, scratch, startBenchRun, until } from './run-helpers.js';

const stack = inject('stack');
const proxies: TcpProxy[] = [];
afterAll(() => Promise.all(proxies.map((p) => p.close())));
async function proxyToStack(): Promise<TcpProxy> {
  const proxy = await startTcpProxy(stack.frontendAddress);
  proxies.push(proxy);
  return proxy;
}

const readIfExists = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
const summaryPattern = /^core: \d+ retry (?:warning|error)s?\b.*? in the last \d+ s; full log: (.+)$/m;

describe('SDK core logs: in full to a file, a summary line on the terminal, never raw', () => {
  it('bench run: the server goes away mid-run (native client, run workers): no raw core lines, a summary line, full entries in core.log', async () => {
    // The run reaches the shared stack through a proxy the test takes down: to the run's processes the
    // server is gone (connection refused), so their SDK core retries and logs warnings.
    const proxy = await proxyToStack();
    const out = path.join(scratch('core-log'), 'out');
    const coreLog = path.join(out, 'core.log');
    const run = startBenchRun(['--address', proxy.address, '--client', 'native', '--rps', '5', '--duration', '20s', '--drain-timeout', '30s', '--out', out]);
    let liveStderr = '';
    run.child.stderr!.on('data', (d: Buffer) => (liveStderr += d.toString()));

    await runT0(out, 60_000);
    await proxy.down();
    // Both routes: the generator's start calls and the worker process's polls, counted in the parent.
    await until(
      'core.log with the start client and the worker retrying',
      () => {
        const text = readIfExists(coreLog);
        return /start_workflow_execution retried/.test(text) && /poll_\w+ retried/.test(text) ? true : undefined;
      },
      30_000,
    );
    await until('the summary line on stderr', () => (summaryPattern.test(liveStderr) ? true : undefined), 15_000);
    await proxy.up();

    const { code, stderr } = await run.done;
    expect([0, 98, 99], stderr).toContain(code);
    expect(readResult(out).status).toBe('completed');

    // Nothing raw from the core: no ANSI colour, and temporalio targets only inside summary lines.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts an ANSI colour sequence
    expect(stderr).not.toMatch(/\x1b\[/);
    const coreMentions = stderr.split('\n').filter((l) => /temporalio|retried \d+ times/.test(l));
    expect(
      coreMentions.filter((l) => !l.startsWith('core: ')),
      stderr,
    ).toEqual([]);
    const summaries = stderr.split('\n').filter((l) => l.startsWith('core: '));
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.join('\n')).toMatch(/UNAVAILABLE/);
    expect(summaryPattern.exec(stderr)![1]).toBe(coreLog);

    // Every entry in full, one line each: timestamp, level, target, message, fields (the gRPC status).
    const lines = fs.readFileSync(coreLog, 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (WARN |ERROR) \S+ \S.*$/);
    const retries = lines.filter((l) => / temporalio_client::retry gRPC call \w+ retried \d+ times \{"error":"Status \{ code: \w+/.test(l));
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.some((l) => l.includes('code: Unavailable'))).toBe(true);
    // The summaries, window by window, count exactly the retry entries the file holds.
    const counted = summaries.flatMap((l) => [...l.matchAll(/(\d+) retry (?:warning|error)s?/g)].map((m) => Number(m[1])));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(retries.length);
  }, 120_000);

  it('bench worker --core-log FILE: the supervisor prints the summary line, the file holds the entries', async () => {
    const proxy = await proxyToStack();
    const file = path.join(scratch('worker-core-log'), 'worker-core.log');
    const w = await startWorkerCli(['--address', proxy.address, '--task-queue', `core-log-${process.pid}`, '--kinds', 'noop', '--core-log', file, '--linger', '0s']);
    await until('the core log line', () => (w.stderr().includes(`every entry in ${file}`) ? true : undefined), 10_000);
    await proxy.down();
    await until('the summary line on stderr', () => (summaryPattern.exec(w.stderr())?.[1] === file ? true : undefined), 30_000);
    await proxy.up();
    expect(await w.interrupt()).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts an ANSI colour sequence
    expect(w.stderr()).not.toMatch(/\x1b\[/);
    expect(
      w
        .stderr()
        .split('\n')
        .filter((l) => /temporalio|retried \d+ times/.test(l) && !l.startsWith('core: ')),
      w.stderr(),
    ).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\S+Z WARN {2}temporalio_client::retry gRPC call poll_\w+ retried \d+ times \{"error":"Status \{ code: Unavailable/m);
  }, 60_000);
});

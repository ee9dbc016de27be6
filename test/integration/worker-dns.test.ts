import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchE2E } from '../../workers/stats-client.js';
import { pollUntil, startWorkerCli, type RunningWorkerCli } from '../helpers/bench-worker-cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { hlogCounts, readResult, runT0, scratch, startBenchRun, until } from './run-helpers.js';

const stack = inject('stack');
const runId = `dns-${process.pid}-${Date.now()}`;
const taskQueue = `bench-${runId}`;
const name = 'bench-workers.test';
const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
/** The worker the test takes out of DNS and stops mid-run (a pod scaled away). */
const victim = 1;

/** A port free on every one of `hosts` (all three workers serve their stats on the same port, as pods do). */
async function commonFreePort(): Promise<number> {
  const listen = (host: string, port: number) =>
    new Promise<net.Server | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined)).listen(port, host, () => resolve(server));
    });
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await listen(hosts[0]!, 0);
    if (!first) continue;
    const port = (first.address() as net.AddressInfo).port;
    const rest = await Promise.all(hosts.slice(1).map((h) => listen(h, port)));
    await Promise.all([first, ...rest].map((s) => s && new Promise((r) => s.close(r))));
    if (rest.every(Boolean)) return port;
  }
  throw new Error(`no port free on all of ${hosts.join(', ')}`);
}

interface ExitLine {
  exit: { linger: 'read' | 'timeout' | 'interrupted' | null; taskQueues: Record<string, { completed: number; failed: number; canceled: number; lastSeq?: number; readUpTo?: number }> };
}

/** A worker's stdout after its first (info) line, and its exit: the supervisor's last line is its final totals. */
function watchExit(w: RunningWorkerCli): Promise<{ code: number | null; last: ExitLine }> {
  let out = '';
  w.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    w.child.once('exit', (code) => {
      const line = out.trim().split('\n').pop();
      try {
        resolve({ code, last: JSON.parse(line ?? '') as ExitLine });
      } catch {
        reject(new Error(`bench worker (exit ${code}) printed no final totals line; stdout ${JSON.stringify(out)}; stderr ${w.stderr()}`));
      }
    }),
  );
}

const finishedOf = (t: { completed: number; failed: number; canceled: number }) => t.completed + t.failed + t.canceled;

describe('bench run --worker-stats dns+http:// (a headless Service of bench worker pods)', () => {
  let dns: TestDnsServer;
  let port: number;
  const workers: RunningWorkerCli[] = [];
  const exits: Promise<{ code: number | null; last: ExitLine }>[] = [];

  beforeAll(async () => {
    dns = await startDnsServer();
    port = await commonFreePort();
    const started = await Promise.all(
      hosts.map((host, i) =>
        startWorkerCli([
          '--address',
          stack.frontendAddress,
          '--task-queue',
          taskQueue,
          '--host',
          host,
          '--stats-port',
          String(port),
          '--stack-dir',
          stack.dir,
          // The stopped worker waits (default 10s) for the runner to fetch its last intervals; the others
          // are stopped after the run, when nobody reads any more.
          ...(i === victim ? [] : ['--linger', '1s']),
        ]),
      ),
    );
    workers.push(...started);
    for (const w of workers) {
      const exit = watchExit(w);
      exit.catch(() => {}); // awaited by the test or afterAll; a worker dying early must not be an unhandled rejection
      exits.push(exit);
    }
    dns.set(name, hosts);
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.race([Promise.allSettled(exits), new Promise((r) => setTimeout(r, 30_000))]);
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await dns?.close();
  });

  it('a pod that leaves DNS mid-run and stops gracefully: every one of its completions is pulled, and the run counts each workflow once', async () => {
    const out = path.join(scratch('dns'), 'out');
    const run = startBenchRun(['--address', stack.frontendAddress, '--run-id', runId, '--workers', '0', '--worker-stats', `dns+http://${name}:${port}`, '--rps', '10', '--duration', '20s', '--out', out], { BENCH_DNS_SERVERS: dns.address });
    // t0 of the run: result.json is written before the first start.
    const t0 = await runT0(out);
    await until('8 s into the run', () => (Date.now() >= t0 + 8000 ? true : undefined), 60_000);
    const victimUrl = `http://${hosts[victim]}:${port}`;
    // The stopped worker must have done some of the work (the server spreads tasks over the three).
    await pollUntil('the stopped worker finished some workflows', async () => ((await fetchE2E(victimUrl, taskQueue)).totals.completed > 0 ? true : undefined));
    // As Kubernetes does when a pod terminates: out of the Service's endpoints, then SIGTERM.
    dns.set(
      name,
      hosts.filter((_, i) => i !== victim),
    );
    workers[victim]!.child.kill('SIGTERM');

    const { code, stderr } = await run.done;
    expect([0, 98], stderr).toContain(code);
    const r = readResult(out);
    if (code === 98) expect(r.summary.invalidReasons.join(' ')).toMatch(/scheduling lag|event-loop/);
    expect(r.status).toBe('completed');
    const rc = r.summary.reconciliation!;
    expect(rc.unaccounted).toBe(0);
    expect(rc).toMatchObject({ failed: 0, running: 0, terminated: 0 });

    // What each worker says it finished. The stopped one: the final totals its supervisor printed as it
    // exited (its own merge of every process's reports, independent of what the runner pulled; the
    // runner's view of it is checked below). The linger ended because a reader (the runner) fetched
    // every interval, not by the timeout.
    const stopped = await exits[victim]!;
    expect(stopped.code).toBe(0);
    expect(stopped.last.exit.linger).toBe('read');
    expect(workers[victim]!.stderr()).toMatch(/linger: a reader fetched every interval/);
    const stoppedFinished = finishedOf(stopped.last.exit.taskQueues[taskQueue]!);
    expect(stoppedFinished).toBeGreaterThan(0);
    // The two still running: their totals now (every workflow finished; nothing is open).
    const live = await Promise.all(hosts.filter((_, i) => i !== victim).map(async (h) => finishedOf((await fetchE2E(`http://${h}:${port}`, taskQueue)).totals)));
    for (const n of live) expect(n).toBeGreaterThan(0);
    const workersFinished = stoppedFinished + live.reduce((a, b) => a + b, 0);

    // The .hlog holds every e2e sample of every phase (summary.latencyMs covers the steady window only).
    const e2e = (r.hlogFiles ?? [r.hlogFile!]).reduce((n, f) => n + (hlogCounts(path.join(out, f)).e2e ?? 0), 0);
    expect(e2e).toBe(workersFinished);
    expect(e2e).toBe(rc.completed);

    // The two live workers, stopped now with nobody reading: their linger ends by its timeout, and their
    // final totals are what they served.
    for (const [i, w] of workers.entries()) if (i !== victim) w.child.kill('SIGTERM');
    for (const [i, exit] of exits.entries()) {
      if (i === victim) continue;
      const { code: c, last } = await exit;
      expect(c).toBe(0);
      expect(last.exit.linger).toBe('timeout');
      expect(workers[i]!.stderr()).toMatch(/linger: --linger 1s elapsed before a reader fetched every interval/);
    }
    const liveFinal = exits.filter((_, i) => i !== victim).map(async (e) => finishedOf((await e).last.exit.taskQueues[taskQueue]!));
    expect(await Promise.all(liveFinal)).toEqual(live);

    // The stopped worker is named in the result, gone from DNS, with every completion pulled from it.
    // TODO(lead): passes once runner/run.ts writes e2e.endpoints() as environment.workerEndpoints.
    const endpoints = (r.environment as { workerEndpoints?: { url: string; source: string; gone: boolean; finished: number }[] }).workerEndpoints;
    expect(endpoints, 'environment.workerEndpoints').toBeDefined();
    const byUrl = Object.fromEntries(endpoints!.map((e) => [e.url, e]));
    expect(Object.keys(byUrl).sort()).toEqual(hosts.map((h) => `http://${h}:${port}`).sort());
    expect(byUrl[victimUrl]).toMatchObject({ source: `dns+http://${name}:${port}`, gone: true, finished: stoppedFinished });
    expect(byUrl[victimUrl]!.finished).toBeGreaterThan(0);
    for (const [i, h] of hosts.entries()) if (i !== victim) expect(byUrl[`http://${h}:${port}`]).toMatchObject({ gone: false, finished: live[i < victim ? i : i - 1] });
  }, 300_000);
});

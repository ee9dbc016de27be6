import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { childEntry } from '../core/package-paths.js';
import { UsageError } from '../core/errors.js';
import { registerScrapeTarget } from '../stack/prometheus.js';
import { readState } from '../stack/state.js';
import { prebuildWorkflowBundle } from './bundle.js';
import { defaultCoreLogFile, startCoreLogSummary } from './core-log-summary.js';
import { E2EStore } from './e2e-store.js';
import type { ChildConfig, ChildMessage, ParentMessage } from './messages.js';
import { validatePoolOptions, type WorkerPoolOptions } from './options.js';
import { checkTemporalReachable } from './reachability.js';
import type { E2ESnapshot } from './stats-client.js';
import { serveStats } from './stats-server.js';

export type { WorkerPoolOptions, WorkerTuning } from './options.js';

export interface WorkerProcessInfo {
  pid: number;
  /** `host/pid`: the key of E2ETotals.byProcess. */
  id: string;
  /** The SDK's Prometheus endpoint (Runtime.install). */
  sdkMetricsUrl: string;
  /** Our endpoint: process CPU and RSS, finished-workflow counters. */
  metricsUrl: string;
}

export interface WorkerPool {
  /** Where the worker processes write the SDK core's log entries (created on the first one). */
  coreLogFile: string;
  /** Base URL of the end-to-end latency endpoint; read it with fetchE2E (stats-client.ts). */
  statsUrl: string;
  processes: WorkerProcessInfo[];
  /** Drains every worker (in-flight tasks finish, last interval flushed) but keeps statsUrl serving. */
  drain(): Promise<void>;
  /**
   * After drain(): keeps statsUrl serving until a reader has fetched every closed interval (a GET with
   * afterSeq at or past the last seq of each task queue: it holds them all), `ms` elapsed or `signal`
   * aborted, whichever is first. Says which, with each queue's last seq and how far readers got.
   */
  linger(ms: number, signal?: AbortSignal): Promise<LingerOutcome>;
  /** drain(), then closes the stats endpoint and removes the Prometheus targets. Idempotent. */
  stop(): Promise<void>;
  /** The same data as GET statsUrl/e2e, for a runner in this process. */
  snapshot(taskQueue: string, afterSeq?: number): E2ESnapshot;
  /** Resolves when every worker process has exited (stopped or crashed). */
  exited: Promise<void>;
}

export interface LingerOutcome {
  outcome: 'read' | 'timeout' | 'interrupted';
  queues: { taskQueue: string; lastSeq: number; readUpTo: number }[];
}

const workerChild = childEntry(import.meta.url, 'child');
const killAfterMs = 60_000;

interface Member {
  child: ChildProcess;
  id: string;
  info?: WorkerProcessInfo;
  unregister: (() => void)[];
  exited: Promise<void>;
}

function advertised(host: string, address: string): string {
  // An endpoint bound to every interface is reached, from this host, on loopback.
  return host === '0.0.0.0' ? address.replace(/^0\.0\.0\.0:/, '127.0.0.1:') : address;
}

/**
 * Forks `processes` worker processes on one task queue and serves their merged end-to-end latency.
 * Resolves once every process polls its task queue; rejects (UsageError, one line) for bad options,
 * an unreachable server or a worker that fails to start, leaving nothing running.
 */
export async function startWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  validatePoolOptions(options);
  await checkTemporalReachable(options.connection);
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const store = new E2EStore([options.taskQueue]);
  const members: Member[] = [];
  let stats: Awaited<ReturnType<typeof serveStats>>;
  try {
    stats = await serveStats(store, () => ({ taskQueue: options.taskQueue, processes: members.map((m) => m.info ?? { pid: m.child.pid, starting: true }) }), host, options.statsPort ?? 0);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot serve worker stats on ${host}:${options.statsPort ?? 0}: ${e.code === 'EADDRINUSE' ? 'port already in use (--stats-port)' : e.code ?? e.message}`);
  }
  let bundlePath: string;
  try {
    bundlePath = await prebuildWorkflowBundle(options.kinds);
  } catch (err) {
    await stats.close();
    throw err;
  }
  const targetsDir = options.stackDir ? readState(options.stackDir)?.targetsDir : undefined;
  const { kinds: _k, processes: _p, statsPort: _s, stackDir: _d, log: _l, host: _h, coreLogFile: _c, onCoreLog: _o, ...tuning } = options;
  const coreLogFile = options.coreLogFile ?? defaultCoreLogFile('worker');
  const config: ChildConfig = { ...tuning, bundlePath, host, coreLogFile };
  // The children send counts, never raw core lines; without a caller to take them, this pool summarizes.
  const coreSummary = options.onCoreLog ? undefined : startCoreLogSummary(coreLogFile, log);
  const onCoreLog = options.onCoreLog ?? ((groups) => coreSummary!.add(groups));

  let stopping = false;
  const start = (index: number): { member: Member; ready: Promise<void> } => {
    // Child output goes to stderr: stdout belongs to the command's own (machine-readable) output.
    // Own process group: a terminal's Ctrl-C reaches only the parent, which drains the children in
    // order (a runner draining its in-flight workflows needs its workers to keep working).
    const child = fork(workerChild.modulePath, [], { execArgv: workerChild.execArgv, serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'], detached: true });
    const id = `${os.hostname()}/${child.pid}`;
    store.addProcess(id);
    let failure: string | undefined;
    let onReady!: () => void;
    let onFail!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (onFail = reject)));
    const member: Member = { child, id, unregister: [], exited: new Promise((resolve) => child.once('exit', () => resolve())) };
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'report') store.report(id, m.watermarkMs, m.buckets);
      else if (m.type === 'coreLog') onCoreLog(m.groups);
      else if (m.type === 'error') failure = m.message;
      else if (m.type === 'ready') {
        const sdk = advertised(host, m.sdkMetricsAddress);
        const own = advertised(host, m.metricsAddress);
        member.info = { pid: child.pid!, id, sdkMetricsUrl: `http://${sdk}/metrics`, metricsUrl: `http://${own}/metrics` };
        if (options.stackDir && targetsDir) {
          const labels = { role: 'bench-worker', task_queue_name: options.taskQueue, worker_process: id };
          member.unregister.push(registerScrapeTarget(options.stackDir, `worker-${child.pid}-sdk`, { address: sdk, labels: { ...labels, endpoint: 'sdk' } }));
          member.unregister.push(registerScrapeTarget(options.stackDir, `worker-${child.pid}-process`, { address: own, labels: { ...labels, endpoint: 'process' } }));
        }
        onReady();
      }
    });
    child.once('exit', (code, signal) => {
      store.removeProcess(id);
      for (const unregister of member.unregister.splice(0)) unregister();
      const why = failure ?? (signal ? `killed by ${signal}` : `exited with code ${code}`);
      onFail(new UsageError(`worker process ${index + 1} (pid ${child.pid}) failed to start: ${why}`));
      if (!stopping || failure) log(`worker process ${index + 1} (pid ${child.pid}) ${failure ? `failed: ${failure}` : why}`);
    });
    child.send({ type: 'start', config } satisfies ParentMessage);
    return { member, ready };
  };

  const started = Array.from({ length: options.processes }, (_, i) => start(i));
  members.push(...started.map((s) => s.member));
  const exited = Promise.all(members.map((m) => m.exited)).then(() => store.end());

  let draining: Promise<void> | undefined;
  const drain = () =>
    (draining ??= (async () => {
      stopping = true;
      for (const m of members) if (m.child.exitCode === null && m.child.connected) m.child.send({ type: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => members.forEach((m) => m.child.exitCode === null && m.child.kill('SIGKILL')), killAfterMs);
      await exited;
      clearTimeout(timer);
    })());
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= drain().then(() => (coreSummary?.stop(), stats.close())));
  const linger = async (ms: number, signal?: AbortSignal): Promise<LingerOutcome> => {
    await drain();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await Promise.race([
      store.whenAllRead().then(() => 'read' as const),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
      new Promise<'interrupted'>((resolve) => {
        if (signal?.aborted) return resolve('interrupted');
        signal?.addEventListener('abort', (onAbort = () => resolve('interrupted')), { once: true });
      }),
    ]);
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    return { outcome, queues: store.readProgress() };
  };

  try {
    await Promise.all(started.map((s) => s.ready));
  } catch (err) {
    // Children still starting have no stop handler yet: SIGTERM ends them before they poll.
    stopping = true;
    for (const m of members) if (!m.info && m.child.exitCode === null) m.child.kill('SIGTERM');
    await stop();
    throw err;
  }
  log(`${options.processes} worker process(es) polling ${options.taskQueue}`);
  return {
    coreLogFile,
    statsUrl: `http://${advertised(host, `${host}:${stats.port}`)}`,
    processes: members.map((m) => m.info!),
    drain,
    linger,
    stop,
    snapshot: (taskQueue, afterSeq) => store.snapshot(taskQueue, afterSeq),
    exited,
  };
}

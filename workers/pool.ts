import { UsageError } from '../core/errors.js';
import { readState } from '../stack/state.js';
import { prebuildWorkflowBundle } from './bundle.js';
import { defaultCoreLogFile, startCoreLogSummary } from './core-log-summary.js';
import { E2EStore } from './e2e-store.js';
import type { ChildConfig, ParentMessage } from './messages.js';
import { validatePoolOptions, type WorkerPoolOptions } from './options.js';
import { advertised, forkMember, type Member, type WorkerProcessInfo } from './pool-member.js';
import { checkTemporalReachable } from './reachability.js';
import type { E2ESnapshot } from './stats-client.js';
import { serveStats } from './stats-server.js';

export type { WorkerPoolOptions, WorkerTuning } from './options.js';
export type { WorkerProcessInfo } from './pool-member.js';

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

const killAfterMs = 60_000;

async function serveStatsOn(store: E2EStore, members: Member[], options: WorkerPoolOptions, host: string): Promise<Awaited<ReturnType<typeof serveStats>>> {
  try {
    return await serveStats(store, () => ({ taskQueue: options.taskQueue, processes: members.map((m) => m.info ?? { pid: m.child.pid, starting: true }) }), host, options.statsPort ?? 0);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot serve worker stats on ${host}:${options.statsPort ?? 0}: ${e.code === 'EADDRINUSE' ? 'port already in use (--stats-port)' : (e.code ?? e.message)}`);
  }
}

/** What each child is told: the pool's tuning and connection, without the pool-level options. */
function childConfig(options: WorkerPoolOptions, bundlePath: string, host: string, coreLogFile: string): ChildConfig {
  const { kinds: _k, processes: _p, statsPort: _s, stackDir: _d, log: _l, host: _h, coreLogFile: _c, onCoreLog: _o, ...tuning } = options;
  return { ...tuning, bundlePath, host, coreLogFile };
}

/**
 * After drain(): until a reader has fetched every closed interval, `ms` elapsed or `signal` aborted,
 * whichever is first.
 */
async function lingerUntilRead(store: E2EStore, ms: number, signal?: AbortSignal): Promise<LingerOutcome> {
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
  const stats = await serveStatsOn(store, members, options, host);
  let bundlePath: string;
  try {
    bundlePath = await prebuildWorkflowBundle(options.kinds);
  } catch (err) {
    await stats.close();
    throw err;
  }
  const coreLogFile = options.coreLogFile ?? defaultCoreLogFile('worker');
  // The children send counts, never raw core lines; without a caller to take them, this pool summarizes.
  const coreSummary = options.onCoreLog ? undefined : startCoreLogSummary(coreLogFile, log);
  let stopping = false;
  const started = Array.from({ length: options.processes }, (_, i) =>
    forkMember(i, {
      config: childConfig(options, bundlePath, host, coreLogFile),
      store,
      host,
      taskQueue: options.taskQueue,
      scrapeStackDir: options.stackDir && readState(options.stackDir)?.targetsDir ? options.stackDir : undefined,
      onCoreLog: options.onCoreLog ?? ((groups) => coreSummary!.add(groups)),
      log,
      stopping: () => stopping,
    }),
  );
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
    linger: async (ms, signal) => {
      await drain();
      return lingerUntilRead(store, ms, signal);
    },
    stop,
    snapshot: (taskQueue, afterSeq) => store.snapshot(taskQueue, afterSeq),
    exited,
  };
}

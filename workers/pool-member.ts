import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { childEntry } from '../core/package-paths.js';
import { UsageError } from '../core/errors.js';
import { registerScrapeTarget } from '../stack/prometheus.js';
import type { CoreLogGroup } from './core-log-summary.js';
import type { E2EStore } from './e2e-store.js';
import type { ChildConfig, ChildMessage, ParentMessage } from './messages.js';

export interface WorkerProcessInfo {
  pid: number;
  /** `host/pid`: the key of E2ETotals.byProcess. */
  id: string;
  /** The SDK's Prometheus endpoint (Runtime.install). */
  sdkMetricsUrl: string;
  /** Our endpoint: process CPU and RSS, finished-workflow counters. */
  metricsUrl: string;
}

/** One forked worker process of a pool. */
export interface Member {
  child: ChildProcess;
  id: string;
  info?: WorkerProcessInfo;
  unregister: (() => void)[];
  exited: Promise<void>;
}

/** What every member of one pool shares. */
export interface MemberContext {
  config: ChildConfig;
  store: E2EStore;
  host: string;
  taskQueue: string;
  /** The local stack whose Prometheus scrapes the members (its targets directory exists). */
  scrapeStackDir?: string;
  onCoreLog: (groups: CoreLogGroup[]) => void;
  log: (line: string) => void;
  /** The pool is stopping: an exit is expected, not news. */
  stopping: () => boolean;
}

const workerChild = childEntry(import.meta.url, 'child');

export function advertised(host: string, address: string): string {
  // An endpoint bound to every interface is reached, from this host, on loopback.
  return host === '0.0.0.0' ? address.replace(/^0\.0\.0\.0:/, '127.0.0.1:') : address;
}

/**
 * Forks worker process `index` and sends it its config. `ready` resolves when it polls its task
 * queue and rejects (UsageError, one line) if it exits first; its reports feed the pool's store.
 */
export function forkMember(index: number, ctx: MemberContext): { member: Member; ready: Promise<void> } {
  const { store } = ctx;
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
    else if (m.type === 'coreLog') ctx.onCoreLog(m.groups);
    else if (m.type === 'error') failure = m.message;
    else if (m.type === 'ready') {
      member.info = announce(member, m.sdkMetricsAddress, m.metricsAddress, ctx);
      onReady();
    }
  });
  child.once('exit', (code, signal) => {
    store.removeProcess(id);
    for (const unregister of member.unregister.splice(0)) unregister();
    const why = failure ?? (signal ? `killed by ${signal}` : `exited with code ${code}`);
    onFail(new UsageError(`worker process ${index + 1} (pid ${child.pid}) failed to start: ${why}`));
    if (!ctx.stopping() || failure) ctx.log(`worker process ${index + 1} (pid ${child.pid}) ${failure ? `failed: ${failure}` : why}`);
  });
  child.send({ type: 'start', config: ctx.config } satisfies ParentMessage);
  return { member, ready };
}

/** A ready member's endpoints, registered as scrape targets of the local stack's Prometheus (if any). */
function announce(member: Member, sdkAddress: string, ownAddress: string, ctx: MemberContext): WorkerProcessInfo {
  const pid = member.child.pid!;
  const sdk = advertised(ctx.host, sdkAddress);
  const own = advertised(ctx.host, ownAddress);
  if (ctx.scrapeStackDir) {
    const labels = { role: 'bench-worker', task_queue_name: ctx.taskQueue, worker_process: member.id };
    member.unregister.push(registerScrapeTarget(ctx.scrapeStackDir, `worker-${pid}-sdk`, { address: sdk, labels: { ...labels, endpoint: 'sdk' } }));
    member.unregister.push(registerScrapeTarget(ctx.scrapeStackDir, `worker-${pid}-process`, { address: own, labels: { ...labels, endpoint: 'process' } }));
  }
  return { pid, id: member.id, sdkMetricsUrl: `http://${sdk}/metrics`, metricsUrl: `http://${own}/metrics` };
}

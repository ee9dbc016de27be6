import { fork, type ChildProcess } from 'node:child_process';
import { childEntry } from '../core/package-paths.js';
import type { ConnectionConfig } from '../core/connection.js';
import type { GeneratorConfig } from './generator.js';
import { hostGenerator } from './generator-host.js';
import type { FromChild, ToChild } from './generator-messages.js';
import type { IntervalSnapshot } from './interval-recorder.js';
import type { ClientKind } from './start-client.js';
import type { CoreLogGroup } from '../workers/core-log-summary.js';

export interface PoolOptions {
  count: number;
  connection: ConnectionConfig & { address: string };
  taskQueue: string;
  clientKind: ClientKind;
  onSnapshot: (generator: number, snapshot: IntervalSnapshot) => void;
  /** Native client only: the file every generator appends the SDK core's log entries to. */
  coreLogFile?: string;
  /** Native client only: counts of those entries, from each generator about once a second. */
  onCoreLog?: (groups: CoreLogGroup[]) => void;
}

export interface GeneratorPool {
  start(configFor: (shard: number) => GeneratorConfig): void;
  /** Resolves when every generator finished its share of the load. */
  readonly loadFinished: Promise<void>;
  stop(): void;
  /** Cuts a running finish() short (second SIGINT). */
  abandon(): void;
  /** Drains in-flight calls up to drainTimeoutMs, collects the last intervals, closes clients. */
  finish(drainTimeoutMs: number): Promise<{ drained: boolean; cpuSeconds: number; problems: string[] }>;
}

interface Member {
  start(config: GeneratorConfig): void;
  loadFinished: Promise<void>;
  stop(): void;
  abandon(): void;
  finish(drainTimeoutMs: number): Promise<{ drained: boolean; cpuSeconds: number; problem?: string }>;
}

const generatorChild = childEntry(import.meta.url, 'generator-child');

async function forked(index: number, opts: PoolOptions): Promise<Member> {
  const child: ChildProcess = fork(generatorChild.modulePath, [], { execArgv: generatorChild.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (msg: ToChild) => child.send(msg);
  const waiters = new Map<FromChild['type'], ((m: FromChild) => void)[]>();
  let failure: ((err: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => (failure = reject));
  failed.catch(() => undefined);
  const next = <T extends FromChild['type']>(type: T) => Promise.race([new Promise<Extract<FromChild, { type: T }>>((r) => waiters.set(type, [...(waiters.get(type) ?? []), r as (m: FromChild) => void])), failed]);
  child.on('message', (msg: FromChild) => {
    if (msg.type === 'snapshots') for (const s of msg.snapshots) opts.onSnapshot(index, s);
    else if (msg.type === 'coreLog') opts.onCoreLog?.(msg.groups);
    else if (msg.type === 'error') failure?.(new Error(`generator ${index}: ${msg.message}`));
    else for (const w of waiters.get(msg.type)?.splice(0) ?? []) w(msg);
  });
  child.on('exit', (code) => failure?.(new Error(`generator ${index} exited (code ${code})`)));
  send({ type: 'connect', connection: opts.connection, taskQueue: opts.taskQueue, clientKind: opts.clientKind, coreLogFile: opts.coreLogFile });
  try {
    await next('ready');
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let problem: string | undefined;
  // A generator that dies mid-run ends its share of the load; the run reports it as invalid.
  const loadFinished = next('loadFinished').then(
    () => undefined,
    (err: Error) => void (problem = err.message),
  );
  return {
    start: (config) => send({ type: 'start', config }),
    loadFinished,
    stop: () => child.connected && send({ type: 'stop' }),
    abandon: () => child.connected && send({ type: 'abandon' }),
    async finish(drainTimeoutMs) {
      if (!child.connected) return { drained: false, cpuSeconds: 0, problem: problem ?? `generator ${index} is gone` };
      const done = next('finished');
      send({ type: 'finish', drainTimeoutMs });
      // The child bounds its drain and its close; past both (and a margin) it is stuck: kill it, say so.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), drainTimeoutMs + 30_000)));
      const msg = await Promise.race([done.catch(() => ({ drained: false, cpuSeconds: 0 })), stuck]);
      clearTimeout(timer);
      if (!msg) {
        child.kill('SIGKILL');
        return { drained: false, cpuSeconds: 0, problem: problem ?? `generator ${index} did not finish within --drain-timeout + 30 s: killed` };
      }
      if (child.connected) child.disconnect();
      return { drained: msg.drained, cpuSeconds: msg.cpuSeconds, problem };
    },
  };
}

/**
 * The one generator inside the coordinator (low rates): no second process, its IPC and its own
 * timers and GC threads, which at 10–20 starts/s cost more CPU than the starts themselves. The
 * coordinator's work then shares the loop with the starts; their scheduling lag says if it mattered.
 */
async function inProcess(opts: PoolOptions): Promise<Member> {
  const host = await hostGenerator(opts, (groups) => opts.onCoreLog?.(groups));
  let finishLoad: () => void = () => undefined;
  const loadFinished = new Promise<void>((r) => (finishLoad = r));
  return {
    start: (config) => void host.start(config, (snapshots) => snapshots.forEach((s) => opts.onSnapshot(0, s))).then(finishLoad),
    loadFinished,
    stop: () => host.stop(),
    abandon: () => host.abandon(),
    // The coordinator's own CPU since the start: its work is the generator's cost here.
    finish: (drainTimeoutMs) => host.finish(drainTimeoutMs),
  };
}

/**
 * Starts `count` generator processes, or with `inline` the single generator in this process. Above
 * low rates each generator is its own process: the coordinator's work (HDR merging, percentiles,
 * files, polling) then never delays a start.
 */
export async function startGenerators(opts: PoolOptions & { inline?: boolean }): Promise<GeneratorPool> {
  if (opts.inline && opts.count !== 1) throw new Error('an in-process generator is a single generator');
  const members = opts.inline ? [await inProcess(opts)] : await Promise.all(Array.from({ length: opts.count }, (_, i) => forked(i, opts)));
  return {
    start: (configFor) => members.forEach((m, i) => m.start(configFor(i))),
    loadFinished: Promise.all(members.map((m) => m.loadFinished)).then(() => undefined),
    stop: () => members.forEach((m) => m.stop()),
    abandon: () => members.forEach((m) => m.abandon()),
    async finish(drainTimeoutMs) {
      const results = await Promise.all(members.map((m) => m.finish(drainTimeoutMs)));
      return {
        drained: results.every((r) => r.drained),
        cpuSeconds: results.reduce((s, r) => s + r.cpuSeconds, 0),
        problems: results.flatMap((r) => (r.problem ? [r.problem] : [])),
      };
    },
  };
}

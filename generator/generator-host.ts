/**
 * One generator with its start client (and, for the native client, the SDK core runtime that logs for
 * it): what a forked generator process runs (generator-child.ts), and what the coordinator runs
 * itself at low rates (generator-pool.ts).
 */
import type { ConnectionConfig } from '../core/connection.js';
import type { CoreLogGroup } from '../workers/core-log-summary.js';
import { Generator, type GeneratorConfig } from './generator.js';
import { HealthMonitor } from './health.js';
import type { IntervalSnapshot } from './interval-recorder.js';
import { StartClient, type ClientKind } from './start-client.js';

export interface HostOptions {
  connection: ConnectionConfig & { address: string };
  taskQueue: string;
  clientKind: ClientKind;
  /** Native client only: the file the SDK core's log entries go to (default: a temp file). */
  coreLogFile?: string;
}

export interface GeneratorHost {
  /** Starts the load; resolves when the schedule (or the VUs) finished, or after stop(). */
  start(config: GeneratorConfig, onSnapshots: (snapshots: IntervalSnapshot[]) => void): Promise<void>;
  stop(): void;
  abandon(): void;
  /** Drains (bounded), emits every remaining interval, closes the client (at most 10 s). CPU counts from start(). */
  finish(drainTimeoutMs: number): Promise<{ drained: boolean; cpuSeconds: number }>;
  /** Writes the buffered core log entries and reports their counts. */
  flushLog(): void;
}

export async function hostGenerator(o: HostOptions, onCoreLog: (groups: CoreLogGroup[]) => void): Promise<GeneratorHost> {
  let coreLog: { flush(): void } | undefined;
  // The native client runs on the SDK core: its Runtime first, so its logs never reach stderr raw.
  if (o.clientKind === 'native') {
    const { installCoreRuntime } = await import('../workers/core-log-runtime.js');
    const { defaultCoreLogFile } = await import('../workers/core-log-summary.js');
    coreLog = installCoreRuntime(o.coreLogFile ?? defaultCoreLogFile('generator'), onCoreLog);
  }
  const client = await StartClient.connect(o.connection, o.taskQueue, o.clientKind);
  let generator: Generator | undefined;
  // CPU is counted from the start of the load, so start-up (loading the SDK) is not in it.
  let cpuAtStart = 0;
  return {
    start(config, onSnapshots) {
      cpuAtStart = HealthMonitor.cpuSeconds();
      generator = new Generator(config, client, onSnapshots);
      return generator.loadFinished;
    },
    stop: () => generator?.stop(),
    abandon: () => generator?.abandonDrain(),
    async finish(drainTimeoutMs) {
      const drained = generator ? await generator.finish(drainTimeoutMs) : true;
      // Every outcome is recorded by now: a connection that will not close must not hold the run.
      await Promise.race([client.close(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      coreLog?.flush();
      return { drained, cpuSeconds: HealthMonitor.cpuSeconds() - cpuAtStart };
    },
    flushLog: () => coreLog?.flush(),
  };
}

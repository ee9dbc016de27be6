/**
 * Entry point of a forked generator process (`bench run --generators N`): connects its own client,
 * runs its share of the schedule and streams interval snapshots (encoded HDR) to the coordinator.
 */
import { Generator } from './generator.js';
import type { FromChild, ToChild } from './generator-messages.js';
import { HealthMonitor } from './health.js';
import { StartClient } from './start-client.js';
import type { CoreLog } from '../workers/core-log-runtime.js';

// Only while connected: the last core log counts may be flushed as the coordinator disconnects.
const send = (msg: FromChild) => process.connected && process.send?.(msg);
let client: StartClient | undefined;
let generator: Generator | undefined;
let coreLog: CoreLog | undefined;
// CPU is counted from the start of the load, so process start-up (loading the SDK) is not in it.
let cpuAtStart = 0;

process.on('message', (msg: ToChild) => {
  void handle(msg).catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message.split('\n')[0]! : String(err) }));
});
// The coordinator owns SIGINT handling; a terminal's SIGINT reaches the whole process group.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => {
  coreLog?.flush();
  process.exit(0);
});

async function handle(msg: ToChild): Promise<void> {
  switch (msg.type) {
    case 'connect':
      // The native client runs on the SDK core: its Runtime first, so its logs never reach stderr raw.
      if (msg.clientKind === 'native' && !coreLog) {
        const { installCoreRuntime } = await import('../workers/core-log-runtime.js');
        const { defaultCoreLogFile } = await import('../workers/core-log-summary.js');
        coreLog = installCoreRuntime(msg.coreLogFile ?? defaultCoreLogFile('generator'), (groups) => send({ type: 'coreLog', groups }));
      }
      client = await StartClient.connect(msg.connection, msg.taskQueue, msg.clientKind);
      send({ type: 'ready' });
      return;
    case 'start':
      if (!client) throw new Error('start before connect');
      cpuAtStart = HealthMonitor.cpuSeconds();
      generator = new Generator(msg.config, client, (snapshots) => send({ type: 'snapshots', snapshots }));
      void generator.loadFinished.then(() => send({ type: 'loadFinished' }));
      return;
    case 'stop':
      generator?.stop();
      return;
    case 'abandon':
      generator?.abandonDrain();
      return;
    case 'finish': {
      const drained = generator ? await generator.finish(msg.drainTimeoutMs) : true;
      // Every outcome is recorded by now: a connection that will not close must not hold the run.
      await Promise.race([client?.close(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      coreLog?.flush();
      send({ type: 'finished', drained, cpuSeconds: HealthMonitor.cpuSeconds() - cpuAtStart });
      return;
    }
  }
}

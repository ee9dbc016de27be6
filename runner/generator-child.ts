/**
 * Entry point of a forked generator process (`bench run --generators N`): connects its own client,
 * runs its share of the schedule and streams interval snapshots (encoded HDR) to the coordinator.
 */
import { Generator } from './generator.js';
import type { FromChild, ToChild } from './generator-messages.js';
import { HealthMonitor } from './health.js';
import { StartClient } from './start-client.js';

const send = (msg: FromChild) => process.send?.(msg);
let client: StartClient | undefined;
let generator: Generator | undefined;
// CPU is counted from the start of the load, so process start-up (loading the SDK) is not in it.
let cpuAtStart = 0;

process.on('message', (msg: ToChild) => {
  void handle(msg).catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message.split('\n')[0]! : String(err) }));
});
// The coordinator owns SIGINT handling; a terminal's SIGINT reaches the whole process group.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));

async function handle(msg: ToChild): Promise<void> {
  switch (msg.type) {
    case 'connect':
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
      await client?.close();
      send({ type: 'finished', drained, cpuSeconds: HealthMonitor.cpuSeconds() - cpuAtStart });
      return;
    }
  }
}

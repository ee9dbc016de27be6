/**
 * Entry point of a forked generator process (`bench run --generators N`): connects its own client,
 * runs its share of the schedule and streams interval snapshots (encoded HDR) to the coordinator.
 */
import type { FromChild, ToChild } from './generator-messages.js';
import { hostGenerator, type GeneratorHost } from './generator-host.js';

// Only while connected: the last core log counts may be flushed as the coordinator disconnects.
const send = (msg: FromChild) => process.connected && process.send?.(msg);
let host: GeneratorHost | undefined;

process.on('message', (msg: ToChild) => {
  void handle(msg).catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message.split('\n')[0]! : String(err) }));
});
// The coordinator owns SIGINT handling; a terminal's SIGINT reaches the whole process group.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => {
  host?.flushLog();
  process.exit(0);
});

async function handle(msg: ToChild): Promise<void> {
  switch (msg.type) {
    case 'connect':
      host ??= await hostGenerator(msg, (groups) => send({ type: 'coreLog', groups }));
      send({ type: 'ready' });
      return;
    case 'start':
      if (!host) throw new Error('start before connect');
      void host.start(msg.config, (snapshots) => send({ type: 'snapshots', snapshots })).then(() => send({ type: 'loadFinished' }));
      return;
    case 'stop':
      host?.stop();
      return;
    case 'abandon':
      host?.abandon();
      return;
    case 'finish': {
      const { drained, cpuSeconds } = host ? await host.finish(msg.drainTimeoutMs) : { drained: true, cpuSeconds: 0 };
      send({ type: 'finished', drained, cpuSeconds });
      return;
    }
  }
}

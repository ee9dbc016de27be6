/**
 * One worker process of a `bench worker` pool (forked by workers/pool.ts). It hosts one SDK Worker,
 * serves the SDK's Prometheus endpoint and our own process metrics, and reports end-to-end latency
 * buckets to the supervisor every second over IPC.
 */
import net from 'node:net';
import os from 'node:os';
// The SDK's modules one by one, not its index: the index also loads the workflow bundler (webpack)
// and the replayer, ~0.4 s of CPU per worker process that a prebuilt bundle never needs.
import type { NativeConnectionOptions } from '@temporalio/worker/lib/connection-options.js';
import { NativeConnection } from '@temporalio/worker/lib/connection.js';
import type { InjectedSinks } from '@temporalio/worker/lib/sinks.js';
import { Worker } from '@temporalio/worker/lib/worker.js';
import { activities } from '../activities/index.js';
import type { BenchSinks } from '../workflows/sinks.js';
import { installCoreRuntime, type CoreLog } from './core-log-runtime.js';
import { currentWatermark, E2ERecorder } from './e2e-recorder.js';
import { intervalMs, type ChildConfig, type ChildMessage, type ParentMessage } from './messages.js';
import { sdkTuning } from './options.js';
import { serveProcessMetrics } from './process-metrics.js';

const processId = `${os.hostname()}/${process.pid}`;
const readyTimeoutMs = 30_000;
let coreLog: CoreLog | undefined;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(message, undefined, {}, () => resolve());
  });
}

/** The SDK cannot report the port it bound, so pick a free one first (a tiny race, retried never). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Structured clone turns Buffers into Uint8Arrays; the native connection wants Buffers. */
function nativeConnectionOptions(c: ChildConfig['connection']): NativeConnectionOptions {
  const buf = (b: Uint8Array | undefined) => (b ? Buffer.from(b) : undefined);
  const tls = c.tls
    ? {
        serverRootCACertificate: buf(c.tls.serverRootCACertificate),
        clientCertPair: c.tls.clientCertPair ? { crt: Buffer.from(c.tls.clientCertPair.crt), key: Buffer.from(c.tls.clientCertPair.key) } : undefined,
        serverNameOverride: c.tls.serverNameOverride,
      }
    : undefined;
  return { address: c.address!, tls, apiKey: c.apiKey };
}

async function waitUntilPolling(worker: Worker): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const s = worker.getStatus();
    if (s.runState === 'RUNNING' && s.hasOutstandingWorkflowPoll && s.hasOutstandingActivityPoll) return;
    if (s.runState !== 'RUNNING' && s.runState !== 'INITIALIZED') throw new Error(`worker stopped before polling (${s.runState})`);
    if (Date.now() > deadline) throw new Error(`worker did not start polling within ${readyTimeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(config: ChildConfig): Promise<void> {
  const sdkPort = await freePort(config.host);
  // Core logs (a flood of retry warnings while the server is down) go to the file and, counted, to the supervisor.
  coreLog = installCoreRuntime(config.coreLogFile, (groups) => void send({ type: 'coreLog', groups }), {
    // We drain and flush ourselves on signals (see stop below); the SDK's own handlers would race that.
    shutdownSignals: [],
    telemetryOptions: { metrics: { prometheus: { bindAddress: `${config.host}:${sdkPort}` } } },
  });
  const recorder = new E2ERecorder();
  const metrics = await serveProcessMetrics(recorder, config.taskQueue, config.host);
  const connection = await NativeConnection.connect(nativeConnectionOptions(config.connection));
  const sinks: InjectedSinks<BenchSinks> = {
    bench: { finished: { fn: (_info, event) => recorder.record(event), callDuringReplay: false } },
  };
  const worker = await Worker.create({
    connection,
    namespace: config.connection.namespace,
    taskQueue: config.taskQueue,
    identity: `bench-worker@${processId}`,
    workflowBundle: { codePath: config.bundlePath },
    activities,
    sinks,
    ...sdkTuning(config),
  });
  const running = worker.run();
  running.catch(() => {}); // awaited below; a failure before readiness surfaces through waitUntilPolling
  await waitUntilPolling(worker);

  // Reports on wall-clock second boundaries so every process's buckets line up.
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const watermarkMs = currentWatermark();
    void send({ type: 'report', watermarkMs, buckets: recorder.take(watermarkMs) });
    timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 5);
  };
  timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 5);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      let failure: unknown;
      await running.catch((err) => (failure = err));
      clearTimeout(timer);
      // Drained: every completion has passed through the sink, so this report is the last one.
      await send({ type: 'report', watermarkMs: Infinity, buckets: recorder.take(Infinity) });
      await Promise.all([connection.close(), metrics.close()]);
      coreLog?.flush(); // the runtime shut down with the connection and handed over its last entries
      if (failure) await send({ type: 'error', message: firstLine(failure) });
      await send({ type: 'stopped' });
      process.exit(failure ? 1 : 0);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());
  process.on('disconnect', () => void stop()); // the supervisor is gone
  process.on('message', (m: ParentMessage) => m.type === 'stop' && void stop());
  // A worker that fails on its own (e.g. the namespace is deleted) still flushes what it measured.
  running.then(
    () => void stop(),
    () => void stop(),
  );

  await send({ type: 'ready', sdkMetricsAddress: `${config.host}:${sdkPort}`, metricsAddress: `${config.host}:${metrics.port}` });
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? 'unknown error';
}

process.once('message', (m: ParentMessage) => {
  if (m.type !== 'start') return;
  run(m.config).catch(async (err) => {
    coreLog?.flush();
    await send({ type: 'error', message: firstLine(err) });
    process.exit(1);
  });
});

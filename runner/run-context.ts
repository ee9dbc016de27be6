import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionConfig } from '../core/connection.js';
import { FaultInjector } from '../faults/injector.js';
import { startGenerators, type GeneratorPool } from '../generator/generator-pool.js';
import { StartClient } from '../generator/start-client.js';
import { HlogFile } from '../recorder/hlog.js';
import type { Environment, SegmentInfo } from '../recorder/result-schema.js';
import { Timeline } from '../recorder/timeline.js';
import { findLocalStack } from '../stack/find.js';
import type { StackState } from '../stack/state.js';
import { withStackTls } from '../stack/tls-pickup.js';
import { startCoreLogSummary } from '../workers/core-log-summary.js';
import { E2ESource, startRunWorkers, type RunWorkers } from './e2e-source.js';
import { checkTarget, embeddedStack, type EmbeddedStack } from './environment.js';
import type { Interrupts } from './interrupts.js';
import type { RunPlan } from './plan.js';
import { startResourceSampler, type ResourceSampler } from './resources.js';
import { serverMetricsSource, type ServerMetricsSource } from './server-metrics-source.js';
import { harnessInfo } from './version.js';

type Log = (line: string) => void;

export const nowEpoch = () => performance.timeOrigin + performance.now();

/** What a run has once it is set up: the target, the workers and generators, and the recorders its outputs read. */
export interface RunContext {
  plan: RunPlan;
  connection: ConnectionConfig & { address: string };
  /** The local stack serving the run (embedded, or found for --address): sampled, and it scrapes the workers. */
  localStack?: StackState;
  embedded?: EmbeddedStack;
  /** For the drain check, reconciliation and cleanup; connected before the load, while the server is idle. */
  admin: StartClient;
  workers?: RunWorkers;
  e2e: E2ESource;
  pool: GeneratorPool;
  /** Server metrics over the run (Prometheus, or scraped directly): finish() once the run's results are final. */
  serverMetrics: { finish: () => Promise<ServerMetricsSource> };
  t0Epoch: number;
  segment?: SegmentInfo;
  hlog: HlogFile;
  timeline: Timeline;
  resources: ResourceSampler;
  environment: Environment;
  injector?: FaultInjector;
  /** Where notes go: the log until the live view draws, then the live view. */
  note: Log;
}

/** Things to undo when the run ends, in reverse order; the embedded stack (if the run started one) last. */
export interface RunTeardown {
  cleanups: (() => Promise<void> | void)[];
  embedded?: EmbeddedStack;
}

/**
 * The setup phase: the embedded stack or --address (checked), the output directory and core log, the
 * admin client, the run's workers, the generators (connected, not started), the server metrics, t0,
 * the timeline and .hlog, resource sampling, and the fault injector. The outputs (result.json,
 * /metrics, ...) start after it (runner/outputs/).
 */
export async function setUpRun(plan: RunPlan, explicitStackDir: boolean, log: Log, interrupts: Interrupts, teardown: RunTeardown): Promise<RunContext> {
  const { cleanups } = teardown;
  let embedded: EmbeddedStack | undefined;
  if (plan.embedded) {
    embedded = await Promise.race([embeddedStack(plan.embedded, explicitStackDir, log), interrupts.at(1).then(() => undefined)]);
    if (!embedded) throw new Error('interrupted while starting the embedded stack');
    teardown.embedded = embedded;
  }
  const address = plan.connection.address ?? embedded!.state.frontendAddress;
  const connection = { ...withStackTls(plan.connection, embedded?.state), address };
  const localStack = embedded?.state ?? findLocalStack(address, [plan.localStackDir]);
  const info = await checkTarget(connection);
  fs.mkdirSync(plan.outDir, { recursive: true });
  // The SDK core's log entries (native client, workers) go in full to core.log, one summary line per 5 s here.
  const coreLogFile = path.join(plan.outDir, 'core.log');
  const ctx = { note: log } as RunContext;
  const coreLog = startCoreLogSummary(coreLogFile, (line) => ctx.note(line));
  cleanups.push(() => coreLog.stop()); // runs after the workers stopped: their last counts are in
  const admin = await StartClient.connect(connection, plan.taskQueue);
  cleanups.push(() => admin.close());

  let workers: RunWorkers | undefined;
  if (plan.workers > 0) {
    workers = await startRunWorkers(connection, plan.taskQueue, plan.workers, localStack?.dir, log, plan.workerTuning, { coreLogFile, onCoreLog: coreLog.add });
    cleanups.push(() => workers!.stop());
  }
  const e2e = new E2ESource([...(plan.collectE2E ? plan.workerStats : []), ...(workers ? [workers.statsUrl] : [])], plan.taskQueue);

  // Snapshots that arrive before the timeline exists (none should: the pool starts later) are kept.
  let timeline: Timeline | undefined;
  const pending: [number, Parameters<Timeline['addSnapshot']>[1]][] = [];
  const pool = await startGenerators({
    count: plan.generators,
    inline: plan.inlineGenerator,
    connection,
    taskQueue: plan.taskQueue,
    clientKind: plan.clientKind,
    coreLogFile,
    onCoreLog: coreLog.add,
    onSnapshot: (g, s) => (timeline ? timeline.addSnapshot(g, s) : pending.push([g, s])),
  });
  // Before t0: its first scrape takes a moment, which must not make the first starts late.
  const serverMetrics = await serverMetricsSource(localStack, Boolean(embedded), log);
  cleanups.push(async () => void (await serverMetrics.finish()));
  // t0 is taken after every slow setup step, so the first arrivals are not already late; segments
  // of a split run share one (--start-at), and one that got ready after it says so.
  const readyEpoch = nowEpoch();
  const t0Epoch = plan.startAtEpoch ?? readyEpoch + 250;
  const segment: SegmentInfo | undefined =
    plan.segment.count > 1
      ? { ...plan.segment, host: os.hostname(), startAt: plan.startAtEpoch === undefined ? undefined : new Date(t0Epoch).toISOString(), readyAfterT0Ms: Math.round(readyEpoch - t0Epoch), late: readyEpoch > t0Epoch + 1000 }
      : undefined;
  if (segment?.late) log(`segment ${plan.segment.index}/${plan.segment.count} is late: ready ${(segment.readyAfterT0Ms / 1000).toFixed(1)} s after --start-at`);
  else if (plan.startAtEpoch !== undefined && t0Epoch > readyEpoch) log(`waiting ${((t0Epoch - readyEpoch) / 1000).toFixed(1)} s for --start-at ${new Date(t0Epoch).toISOString()}`);
  const hlog = new HlogFile(plan.outDir, plan.runId, t0Epoch, plan.hlogSegmentS);
  timeline = new Timeline(t0Epoch, plan.generators, plan.profile, plan.plannedDurationS, plan.warmupS, plan.cooldownS, hlog, plan.segment);
  for (const [g, s] of pending.splice(0)) timeline.addSnapshot(g, s);
  const resources = startResourceSampler({ t0Epoch, stack: localStack, externalWorkers: plan.workers === 0 });
  cleanups.push(() => resources.stop());

  const harness = harnessInfo();
  const environment: Environment = {
    address,
    namespace: plan.connection.namespace,
    taskQueue: plan.taskQueue,
    serverVersion: info.serverVersion,
    historyShardCount: info.historyShardCount,
    harnessVersion: harness.version,
    gitSha: harness.gitSha,
    nodeVersion: process.version,
    nodeFlags: process.execArgv,
    generatorHost: os.hostname(),
    generators: plan.generators,
    ...(plan.inlineGenerator ? { generatorInProcess: true } : {}),
    embeddedStack: Boolean(embedded),
    prometheusUrl: embedded?.state.prometheusUrl,
    clientKind: plan.clientKind,
    workerStats: e2e.urls,
    workerTuning: plan.workers > 0 ? plan.workerTuning : undefined,
    workerProcesses: plan.workers,
  };
  const injector = plan.faults.faults.length ? new FaultInjector(plan.faults.faults, plan.faults.stackDir ?? embedded?.state.dir, t0Epoch, plan.outDir, (line) => ctx.note(line)) : undefined;
  if (injector) cleanups.push(() => injector.finish());
  return Object.assign(ctx, { plan, connection, localStack, embedded, admin, workers, e2e, pool, serverMetrics, t0Epoch, segment, hlog, timeline, resources, environment, injector });
}

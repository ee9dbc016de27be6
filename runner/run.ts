import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExitCode } from '../core/errors.js';
import { registerScrapeTarget } from '../stack/prometheus.js';
import { E2ESource, startRunWorkers, type RunWorkers } from './e2e-source.js';
import { checkTarget, embeddedStack, type EmbeddedStack } from './environment.js';
import { startGenerators, type GeneratorPool } from './generator-pool.js';
import { HlogFile } from './hlog.js';
import { LiveView } from './live-view.js';
import type { RunPlan } from './plan.js';
import { serveRunnerMetrics } from './prom-endpoint.js';
import { countByStatus, foundOf, reconcile, terminateLeftovers } from './reconcile.js';
import { writeResultFile } from './result-file.js';
import { RESULT_SCHEMA_VERSION, type Environment, type Reconciliation, type ResultFile, type SegmentInfo } from './result-schema.js';
import { findLocalStack } from '../stack/find.js';
import { withStackTls } from '../stack/tls-pickup.js';
import { startResourceSampler } from './resources.js';
import { StartClient } from './start-client.js';
import { arrivalsBefore } from './schedule.js';
import { globalShard } from './segment.js';
import { serverMetricsSource, type ServerMetricsSource } from './server-metrics-source.js';
import { buildSummary } from './summary.js';
import { startCoreLogSummary } from '../workers/core-log-summary.js';
import { Interrupts } from './interrupts.js';
import { FaultInjector } from '../faults/injector.js';
import { analyzeAvailability } from '../faults/availability.js';
import { printSummary } from './print-summary.js';
import { evaluateThresholds } from './thresholds.js';
import { thresholdData } from './summary.js';
import { Timeline } from './timeline.js';
import { harnessInfo } from './version.js';

type Log = (line: string) => void;

const nowEpoch = () => performance.timeOrigin + performance.now();

/**
 * Runs a planned load test end to end: environment (embedded stack or --address), workers, the
 * generators, a 1-s loop (end-to-end latencies, live view, result files every few seconds), the
 * drain, reconciliation of every started workflow, thresholds, and the exit code.
 */
/** Work on the finished results while the run's stack (and its Prometheus) still runs: the report. */
export type RunFinisher = (outDir: string, server: ServerMetricsSource) => Promise<void>;

export async function executeRun(plan: RunPlan, explicitStackDir: boolean, log: Log, finish?: RunFinisher): Promise<number> {
  const interrupts = new Interrupts();
  const cleanups: (() => Promise<void> | void)[] = [];
  let embedded: EmbeddedStack | undefined;
  try {
    if (plan.embedded) {
      embedded = await Promise.race([embeddedStack(plan.embedded, explicitStackDir, log), interrupts.at(1).then(() => undefined)]);
      if (!embedded) throw new Error('interrupted while starting the embedded stack');
    }
    const address = plan.connection.address ?? embedded!.state.frontendAddress;
    const connection = { ...withStackTls(plan.connection, embedded?.state), address };
    const localStack = embedded?.state ?? findLocalStack(address, [plan.localStackDir]); // sampled, and scrapes the workers
    const info = await checkTarget(connection);
    fs.mkdirSync(plan.outDir, { recursive: true });
    // The SDK core's log entries (native client, workers) go in full to core.log, one summary line per 5 s here.
    const coreLogFile = path.join(plan.outDir, 'core.log');
    let note = log; // the live view's note once it draws
    const coreLog = startCoreLogSummary(coreLogFile, (line) => note(line));
    cleanups.push(() => coreLog.stop()); // runs after the workers stopped: their last counts are in
    // For the drain check, reconciliation and cleanup; connected now, while the server is idle.
    const admin = await StartClient.connect(connection, plan.taskQueue);
    cleanups.push(() => admin.close());

    let workers: RunWorkers | undefined;
    if (plan.workers > 0) {
      workers = await startRunWorkers(connection, plan.taskQueue, plan.workers, localStack?.dir, log, plan.workerTuning, { coreLogFile, onCoreLog: coreLog.add });
      cleanups.push(() => workers!.stop());
    }
    const e2e = new E2ESource([...(plan.collectE2E ? plan.workerStats : []), ...(workers ? [workers.statsUrl] : [])], plan.taskQueue);
    const split = plan.segment.count > 1;

    let timeline: Timeline | undefined;
    const pending: [number, Parameters<Timeline['addSnapshot']>[1]][] = [];
    const pool: GeneratorPool = await startGenerators({
      count: plan.generators,
      inline: plan.inlineGenerator,
      connection,
      taskQueue: plan.taskQueue,
      clientKind: plan.clientKind,
      coreLogFile,
      onCoreLog: coreLog.add,
      onSnapshot: (g, s) => (timeline ? timeline.addSnapshot(g, s) : pending.push([g, s])),
    });
    const harness = harnessInfo();
    // t0 is taken after every slow setup step, so the first arrivals are not already late; segments
    // of a split run share one (--start-at), and one that got ready after it says so.
    // Before t0: its first scrape takes a moment, which must not make the first starts late.
    const serverMetrics = await serverMetricsSource(localStack, Boolean(embedded), log);
    cleanups.push(async () => void (await serverMetrics.finish()));
    const readyEpoch = nowEpoch();
    const t0Epoch = plan.startAtEpoch ?? readyEpoch + 250;
    const segment: SegmentInfo | undefined = split
      ? { ...plan.segment, host: os.hostname(), startAt: plan.startAtEpoch === undefined ? undefined : new Date(t0Epoch).toISOString(), readyAfterT0Ms: Math.round(readyEpoch - t0Epoch), late: readyEpoch > t0Epoch + 1000 }
      : undefined;
    if (segment?.late) log(`segment ${plan.segment.index}/${plan.segment.count} is late: ready ${(segment.readyAfterT0Ms / 1000).toFixed(1)} s after --start-at`);
    else if (plan.startAtEpoch !== undefined && t0Epoch > readyEpoch) log(`waiting ${((t0Epoch - readyEpoch) / 1000).toFixed(1)} s for --start-at ${new Date(t0Epoch).toISOString()}`);
    const hlog = new HlogFile(plan.outDir, plan.runId, t0Epoch, plan.hlogSegmentS);
    timeline = new Timeline(t0Epoch, plan.generators, plan.profile, plan.plannedDurationS, plan.warmupS, plan.cooldownS, hlog, plan.segment);
    for (const [g, s] of pending.splice(0)) timeline.addSnapshot(g, s);
    const tl = timeline;
    const resources = startResourceSampler({ t0Epoch, stack: localStack, externalWorkers: plan.workers === 0 });
    cleanups.push(() => resources.stop());

    const metrics = await serveRunnerMetrics(tl, { run_id: plan.runId, scenario: plan.scenario.name }, plan.metricsPort);
    cleanups.push(() => metrics.close());
    if (localStack?.prometheusUrl) cleanups.push(registerScrapeTarget(localStack.dir, `runner-${plan.runId}`, { address: metrics.address, labels: { job: 'bench-runner', run_id: plan.runId } }));
    const environment: Environment = {
      address,
      namespace: plan.connection.namespace,
      taskQueue: plan.taskQueue,
      serverVersion: info.serverVersion,
      historyShardCount: info.historyShardCount,
      harnessVersion: harness.version,
      gitSha: harness.gitSha,
      nodeVersion: process.version,
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
    let status: ResultFile['status'] = 'running';
    let reconciliation: Reconciliation | null = null;
    let cpuSeconds = 0;
    let terminatedByCleanup = 0;
    const extraInvalid: string[] = [];
    const tags = plan.mix.map((m) => m.tag);
    const injector = plan.faults.faults.length ? new FaultInjector(plan.faults.faults, plan.faults.stackDir ?? embedded?.state.dir, t0Epoch, plan.outDir, (line) => note(line)) : undefined;
    if (injector) cleanups.push(() => injector.finish());
    const result = (): ResultFile => {
      const records = tl.records();
      const faults = injector?.list() ?? [];
      // Found by the server beyond the acknowledged starts: ambiguous failures (UNAVAILABLE after the request went out) that did start.
      const startedAnswerLost = reconciliation ? Math.max(0, foundOf(reconciliation) - (tl.totals(['warmup', 'steady', 'cooldown', 'drain'], false).counts.started ?? 0)) : 0;
      // Mid-run, the newest seconds still have open calls and unreported completions: judged by errors only.
      const finalUntilS = status === 'running' ? (tl.latestComplete()?.t ?? -1) + 1 : undefined;
      const availability = analyzeAvailability(records, faults, { startedAnswerLost, lostWork: reconciliation?.unaccounted ?? 0, finalUntilS });
      const showAvailability = faults.length > 0 || availability.windows.length > 0;
      const { summary, histograms } = buildSummary({
        timeline: tl, openModel: Boolean(plan.profile), thresholds: plan.thresholds, tags, reconciliation, bounds: plan.bounds,
        generators: plan.generators, cpuSeconds, terminatedByCleanup, extraInvalidReasons: extraInvalid, faults, availability,
        plannedDurationS: plan.plannedDurationS, inProgress: status === 'running',
      });
      const steadyStart = t0Epoch + plan.warmupS * 1000;
      const steadyEnd = t0Epoch + Math.max(plan.warmupS, tl.loadEndS - plan.cooldownS) * 1000;
      return {
        schemaVersion: RESULT_SCHEMA_VERSION,
        runId: plan.runId,
        status,
        startedAt: new Date(t0Epoch).toISOString(),
        endedAt: status === 'running' ? null : new Date().toISOString(),
        window: { start: new Date(steadyStart).toISOString(), end: new Date(steadyEnd).toISOString() },
        scenario: { name: plan.scenario.name, description: plan.scenario.description, config: { ...plan.scenario, generators: plan.generators, inFlightCap: plan.inFlightCap, overflow: plan.overflow } },
        environment: { ...environment, workerEndpoints: e2e.endpoints() },
        timeline: records,
        summary,
        hlogFile: hlog.files[0],
        hlogFiles: [...hlog.files],
        histograms,
        ...(segment ? { segment } : {}),
        ...(showAvailability ? { faults, availability } : {}),
        resources: resources.usage(),
      };
    };
    const flush = () => {
      writeResultFile(plan.outDir, result());
      hlog.flush();
    };
    flush();

    pool.start((generator) => ({
      runId: plan.runId, ...globalShard(plan.segment, generator, plan.generators), t0Epoch, executor: plan.scenario.executor, mix: plan.mix,
      executionTimeoutMs: plan.executionTimeoutMs, inFlightCap: Math.max(1, Math.ceil(plan.inFlightCap / plan.generators)), overflow: plan.overflow,
    }));
    log(`run ${plan.runId}: scenario ${plan.scenario.name}, ${plan.profile ? `${plan.profile.totalArrivals} starts over ${plan.plannedDurationS}s` : `${plan.closed!.vus} VUs`} on ${address} (${plan.connection.namespace}, task queue ${plan.taskQueue}); results in ${plan.outDir}`);

    const live = new LiveView();
    note = (line) => live.note(line);
    injector?.start();
    let lastFlush = Date.now();
    // result.json grows with the run (one record a second): rewriting it every few seconds would cost a
    // long soak more and more CPU. Every 10 s at least, and the gap grows so writing takes at most 2 % of
    // the coordinator's time; the .hlog (every interval's histograms) is appended every 4 s regardless.
    let flushGapMs = 10_000;
    let lastHlogFlush = Date.now();
    const abortThresholds = plan.thresholds.filter((t) => t.abortOnFail);
    let polling = false;
    const reportedProblems = new Set<string>();
    const tick = async () => {
      if (polling) return;
      polling = true;
      try {
        const { intervals, problems } = await e2e.poll();
        tl.addE2E(intervals);
        // Each distinct problem once (an unreachable pod, a DNS failure): visible, not repeated every second.
        for (const p of problems.filter((p) => !reportedProblems.has(p))) {
          reportedProblems.add(p);
          live.note(`worker stats: ${p}`);
        }
        live.update(tl.latestComplete(), '', tl.latestWithE2E());
        if (Date.now() - lastHlogFlush < 4000) return;
        hlog.flush();
        lastHlogFlush = Date.now();
        const elapsedS = (nowEpoch() - t0Epoch) / 1000;
        if (abortThresholds.length && interrupts.count === 0 && elapsedS > plan.warmupS) {
          const results = evaluateThresholds(abortThresholds.filter((t) => elapsedS - plan.warmupS >= t.delayAbortEvalMs / 1000), thresholdData(tl, tags));
          const failed = results.find((r) => !r.ok && r.value !== null);
          if (failed) {
            live.note(`threshold ${failed.metric} ${failed.expression} failed (value ${failed.value}) with abortOnFail: stopping`);
            interrupts.fire();
          }
        }
        if (Date.now() - lastFlush < flushGapMs) return;
        const flushStart = performance.now();
        writeResultFile(plan.outDir, result());
        lastFlush = Date.now();
        flushGapMs = Math.max(10_000, 50 * (performance.now() - flushStart));
      } finally {
        polling = false;
      }
    };
    const ticker = setInterval(() => void tick(), 1000);
    cleanups.push(() => clearInterval(ticker));

    await Promise.race([pool.loadFinished, interrupts.at(1)]);
    const stopS = (nowEpoch() - t0Epoch) / 1000;
    if (interrupts.count > 0) {
      pool.stop();
      tl.loadEndS = Math.max(0, Math.min(tl.loadEndS, stopS));
      status = 'interrupted';
      live.note(`interrupted at t=${stopS.toFixed(1)}s: draining in-flight work for up to ${plan.drainTimeoutMs / 1000}s (Ctrl-C again to abort)`);
    }
    // The closed model ends when its VUs do: its load end is when that happened.
    if (!plan.profile) tl.loadEndS = Math.min(tl.loadEndS, stopS);

    const drainDeadline = Date.now() + plan.drainTimeoutMs;
    const abort = interrupts.at(2).then(() => {
      status = 'aborted';
      pool.abandon();
      live.note('aborted: skipping the drain, writing results');
    });
    const finished = await pool.finish(plan.drainTimeoutMs);
    cpuSeconds = finished.cpuSeconds;
    extraInvalid.push(...finished.problems);
    if (!finished.drained && interrupts.count < 2) live.note(`some calls were still in flight after --drain-timeout ${plan.drainTimeoutMs / 1000}s`);

    // Wait for the started workflows to finish (workers' counts, else visibility) until the drain deadline.
    const started = () => tl.totals(['warmup', 'steady', 'cooldown', 'drain'], false).counts.started ?? 0;
    const service = admin.workflowService;
    const allDone = async () => {
      if (!split) return e2e.urls.length ? e2e.finished >= started() : (await countByStatus(service, plan.connection.namespace, plan.taskQueue)).running === 0;
      // A split run's task queue is every segment's: done when nothing of the whole run still runs, and
      // a shared worker pool this segment collects from has reported every workflow it saw finish.
      const c = await countByStatus(service, plan.connection.namespace, plan.taskQueue);
      return c.running === 0 && (!(plan.collectE2E && plan.workerStats.length) || e2e.finished >= c.completed + c.failed + c.canceled);
    };
    while (interrupts.count < 2 && Date.now() < drainDeadline && !(await allDone())) {
      await Promise.race([new Promise((r) => setTimeout(r, 500)), abort]);
      await tick();
    }
    await injector?.finish(); // restarts still owed (a restart-after beyond the drain) happen now
    // The run's own workers also finished other segments' workflows: drained, their store holds every
    // completion, and the last pull below takes it (their stats endpoint serves until stop()).
    if (split && workers) await workers.drain();
    await tick();

    live.end();
    if (split) {
      // The task queue is the whole run's: reconciling or cleaning up here would count (or terminate)
      // the other segments' workflows. bench merge does both once, over the whole run id.
      if (status === 'running') status = 'completed';
      const final = result();
      writeResultFile(plan.outDir, final);
      hlog.flush();
      printSummary(final, plan.outDir, log);
      log(`segment ${plan.segment.index}/${plan.segment.count} done: merge every segment's directory with bench merge (it reconciles the run and evaluates its thresholds)`);
      return final.summary.valid && !segment?.late ? ExitCode.ok : ExitCode.invalidRun;
    }
    log('reconciling every started workflow through visibility');
    const maxN = plan.profile ? arrivalsBefore(plan.profile, tl.loadEndS) : plan.generators * (started() + 1);
    let counts = await reconcile({ service, namespace: plan.connection.namespace, runId: plan.runId, taskQueue: plan.taskQueue, started: started(), maxN, log });
    if (counts.running > 0) {
      log(`${counts.running} workflows still running after the drain: terminating them`);
      terminatedByCleanup = await terminateLeftovers(service, plan.connection.namespace, plan.taskQueue, `bench run ${plan.runId}: still running after the drain`);
      counts = await reconcile({ service, namespace: plan.connection.namespace, runId: plan.runId, taskQueue: plan.taskQueue, started: started(), maxN, log });
    }
    reconciliation = counts;
    if (status === 'running') status = 'completed';
    const final = result();
    writeResultFile(plan.outDir, final);
    hlog.flush();
    printSummary(final, plan.outDir, log);
    const server = await serverMetrics.finish();
    await finish?.(plan.outDir, server).catch((err: Error) => log(`report: ${err.message.split('\n')[0]}`));
    if (!final.summary.valid) return ExitCode.invalidRun;
    if (final.summary.thresholds.some((t) => !t.ok)) return ExitCode.thresholdsFailed;
    return ExitCode.ok;
  } finally {
    interrupts.dispose();
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((err: Error) => log(`cleanup: ${err.message}`));
    if (embedded?.owned) await embedded.stop().catch((err: Error) => log(`stopping the embedded stack: ${err.message}`));
  }
}

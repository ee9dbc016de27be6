import { ExitCode } from '../core/errors.js';
import type { ResultFile } from '../recorder/result-schema.js';
import { arrivalsBefore } from '../schedule/schedule.js';
import { globalShard } from '../schedule/segment.js';
import { Interrupts } from './interrupts.js';
import { RunOutputs, type FinishedRun, type RunOutput } from './output.js';
import { runOutputs } from './outputs/index.js';
import type { RunPlan } from './plan.js';
import { countByStatus, reconcile, terminateLeftovers } from './reconcile.js';
import { nowEpoch, setUpRun, type RunContext, type RunTeardown } from './run-context.js';
import { RunLoop } from './run-loop.js';
import { RunRecord } from './run-record.js';

type Log = (line: string) => void;

/**
 * Runs a planned load test end to end, as its phases: set up (runner/run-context.ts), load with the
 * 1-s loop (run-loop.ts), drain, then reconcile every started workflow and judge (or, for one
 * segment of a split run, leave both to `bench merge`). What the run produces goes through its
 * outputs (runner/output.ts): the run's own (runner/outputs/index.ts), then `afterRun` (the report,
 * the gate, ...), which a segment does not run. Returns the exit code.
 */
export async function executeRun(plan: RunPlan, explicitStackDir: boolean, log: Log, afterRun: RunOutput[] = []): Promise<number> {
  const interrupts = new Interrupts();
  const teardown: RunTeardown = { cleanups: [] };
  const split = plan.segment.count > 1;
  try {
    const ctx = await setUpRun(plan, explicitStackDir, log, interrupts, teardown);
    const record = new RunRecord(ctx);
    const outputs = new RunOutputs([...runOutputs(ctx, record, log), ...(split ? [] : afterRun)], log);
    teardown.cleanups.push(() => outputs.close());
    await outputs.start();
    startLoad(ctx, log);
    const loop = new RunLoop(ctx, outputs, interrupts);
    teardown.cleanups.push(() => loop.stop());
    await loadPhase(ctx, record, interrupts);
    await drainPhase(ctx, record, loop, interrupts);
    outputs.stop();
    return split ? await finishSegment(ctx, record, outputs, log) : await reconcileAndJudge(ctx, record, outputs, log);
  } finally {
    interrupts.dispose();
    for (const c of teardown.cleanups.reverse()) await Promise.resolve(c()).catch((err: Error) => log(`cleanup: ${err.message}`));
    if (teardown.embedded?.owned) await teardown.embedded.stop().catch((err: Error) => log(`stopping the embedded stack: ${err.message}`));
  }
}

/** Hands each generator its share of the schedule and starts the faults. */
function startLoad(ctx: RunContext, log: Log): void {
  const { plan, pool, t0Epoch, connection } = ctx;
  pool.start((generator) => ({
    runId: plan.runId,
    ...globalShard(plan.segment, generator, plan.generators),
    t0Epoch,
    executor: plan.scenario.executor,
    mix: plan.mix,
    executionTimeoutMs: plan.executionTimeoutMs,
    inFlightCap: Math.max(1, Math.ceil(plan.inFlightCap / plan.generators)),
    overflow: plan.overflow,
  }));
  log(
    `run ${plan.runId}: scenario ${plan.scenario.name}, ${plan.profile ? `${plan.profile.totalArrivals} starts over ${plan.plannedDurationS}s` : `${plan.closed!.vus} VUs`} on ${connection.address} (${plan.connection.namespace}, task queue ${plan.taskQueue}); results in ${plan.outDir}`,
  );
  ctx.injector?.start();
}

/** Until the schedule (or the VUs) is done, or the first Ctrl-C / abortOnFail threshold stops it. */
async function loadPhase(ctx: RunContext, record: RunRecord, interrupts: Interrupts): Promise<void> {
  const { plan, pool, timeline: tl } = ctx;
  await Promise.race([pool.loadFinished, interrupts.at(1)]);
  const stopS = (nowEpoch() - ctx.t0Epoch) / 1000;
  if (interrupts.count > 0) {
    pool.stop();
    tl.loadEndS = Math.max(0, Math.min(tl.loadEndS, stopS));
    record.status = 'interrupted';
    ctx.note(`interrupted at t=${stopS.toFixed(1)}s: draining in-flight work for up to ${plan.drainTimeoutMs / 1000}s (Ctrl-C again to abort)`);
  }
  // The closed model ends when its VUs do: its load end is when that happened.
  if (!plan.profile) tl.loadEndS = Math.min(tl.loadEndS, stopS);
}

/**
 * Waits for in-flight calls, then for the started workflows to finish (workers' counts, else
 * visibility) until --drain-timeout; a second Ctrl-C skips the wait.
 */
async function drainPhase(ctx: RunContext, record: RunRecord, loop: RunLoop, interrupts: Interrupts): Promise<void> {
  const { plan, pool, e2e, admin, workers } = ctx;
  const split = plan.segment.count > 1;
  const drainDeadline = Date.now() + plan.drainTimeoutMs;
  const abort = interrupts.at(2).then(() => {
    record.status = 'aborted';
    pool.abandon();
    ctx.note('aborted: skipping the drain, writing results');
  });
  const finished = await pool.finish(plan.drainTimeoutMs);
  record.cpuSeconds = finished.cpuSeconds;
  record.extraInvalid.push(...finished.problems);
  if (!finished.drained && interrupts.count < 2) ctx.note(`some calls were still in flight after --drain-timeout ${plan.drainTimeoutMs / 1000}s`);

  const service = admin.workflowService;
  const allDone = async () => {
    if (!split) return e2e.urls.length ? e2e.finished >= record.started() : (await countByStatus(service, plan.connection.namespace, plan.taskQueue)).running === 0;
    // A split run's task queue is every segment's: done when nothing of the whole run still runs, and
    // a shared worker pool this segment collects from has reported every workflow it saw finish.
    const c = await countByStatus(service, plan.connection.namespace, plan.taskQueue);
    return c.running === 0 && (!(plan.collectE2E && plan.workerStats.length) || e2e.finished >= c.completed + c.failed + c.canceled);
  };
  while (interrupts.count < 2 && Date.now() < drainDeadline && !(await allDone())) {
    await Promise.race([new Promise((r) => setTimeout(r, 500)), abort]);
    await loop.tick();
  }
  await ctx.injector?.finish(); // restarts still owed (a restart-after beyond the drain) happen now
  // The run's own workers also finished other segments' workflows: drained, their store holds every
  // completion, and the last pull below takes it (their stats endpoint serves until stop()).
  if (split && workers) await workers.drain();
  await loop.tick();
}

/** The final result as the outputs get it; the server metrics stop when the first output asks for them. */
function finishedRun(ctx: RunContext, record: RunRecord): FinishedRun {
  if (record.status === 'running') record.status = 'completed';
  return { outDir: ctx.plan.outDir, result: record.result(), serverMetrics: () => ctx.serverMetrics.finish() };
}

/**
 * One segment of a split run: the task queue is the whole run's, so reconciling or cleaning up here
 * would count (or terminate) the other segments' workflows. bench merge does both once, over the run.
 */
async function finishSegment(ctx: RunContext, record: RunRecord, outputs: RunOutputs, log: Log): Promise<number> {
  const { plan } = ctx;
  const run = finishedRun(ctx, record);
  const code = await outputs.finish(run, run.result.summary.valid && !ctx.segment?.late ? ExitCode.ok : ExitCode.invalidRun);
  log(`segment ${plan.segment.index}/${plan.segment.count} done: merge every segment's directory with bench merge (it reconciles the run and evaluates its thresholds)`);
  return code;
}

/** Finds every started workflow through visibility (terminating leftovers), then hands the judged result to the outputs. */
async function reconcileAndJudge(ctx: RunContext, record: RunRecord, outputs: RunOutputs, log: Log): Promise<number> {
  const { plan, timeline: tl } = ctx;
  const service = ctx.admin.workflowService;
  log('reconciling every started workflow through visibility');
  const maxN = plan.profile ? arrivalsBefore(plan.profile, tl.loadEndS) : plan.generators * (record.started() + 1);
  const query = () => reconcile({ service, namespace: plan.connection.namespace, runId: plan.runId, taskQueue: plan.taskQueue, started: record.started(), maxN, log });
  let counts = await query();
  if (counts.running > 0) {
    log(`${counts.running} workflows still running after the drain: terminating them`);
    record.terminatedByCleanup = await terminateLeftovers(service, plan.connection.namespace, plan.taskQueue, `bench run ${plan.runId}: still running after the drain`);
    counts = await query();
  }
  record.reconciliation = counts;
  const run = finishedRun(ctx, record);
  return outputs.finish(run, verdictOf(run.result));
}

/** The run's own exit code: an invalid run (98) before failed thresholds (99). */
function verdictOf(result: ResultFile): number {
  if (!result.summary.valid) return ExitCode.invalidRun;
  if (result.summary.thresholds.some((t) => !t.ok)) return ExitCode.thresholdsFailed;
  return ExitCode.ok;
}

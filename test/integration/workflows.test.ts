import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { seededUnit } from '../../workflows/bytes.js';
import { workflowArgs, workflowKinds } from '../../catalog/kinds.js';
import { names, type Step } from '../../workflows/types.js';
import { startBenchWorker, type BenchWorkerHarness } from '../helpers/bench-worker.js';
import { countEvents, eventName, eventsNamed, type History } from '../helpers/history.js';
import { benchWorkflowBundle } from '../helpers/workflow-bundle.js';

const stack = inject('stack');
let h: BenchWorkerHarness;

// One bundle and one worker for the file (bundling is slow); a fresh task queue per file run and a
// fresh workflow id per test keep tests and reruns apart.
beforeAll(async () => {
  h = await startBenchWorker({
    address: stack.frontendAddress,
    namespace: 'bench',
    taskQueue: `wf-kinds-${randomUUID()}`,
    workflowBundle: await benchWorkflowBundle(),
  });
});
afterAll(async () => h?.stop());

/** Starts a kind through the catalog (validated input, payload args) and returns its handle. */
async function start(kind: string, input: object = {}) {
  const spec = workflowKinds.find((k) => k.name === kind)!;
  return h.client.workflow.start(spec.workflowType, {
    taskQueue: h.taskQueue,
    workflowId: `${kind}-${randomUUID()}`,
    args: workflowArgs(kind, input),
  });
}

/** Runs a kind to completion; returns its result, the last run's history and its completion reports. */
async function run(kind: string, input: object = {}) {
  const handle = await start(kind, input);
  const result = await handle.result();
  return { handle, result, ...(await finished(handle.workflowId)) };
}

/** The history of the latest run and the sink reports for the workflow and its children. */
async function finished(workflowId: string) {
  const history: History = await h.client.workflow.getHandle(workflowId).fetchHistory();
  const reports = await vi.waitFor(() => {
    const own = h.completions.filter((c) => c.workflowId === workflowId);
    if (own.length === 0) throw new Error(`no completion reported for ${workflowId}`);
    return own;
  });
  const childReports = h.completions.filter((c) => c.workflowId.startsWith(`${workflowId}-`));
  return { history, reports, childReports };
}

function expectReportedOnce(reports: { isChild: boolean; status: string }[]) {
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ isChild: false, status: 'completed' });
}

const payloadSize = (p: { payloads?: { data?: Uint8Array | null }[] | null } | null | undefined, i = 0) => p?.payloads?.[i]?.data?.length;

describe('workflow kinds on the local stack', () => {
  it('noop completes in its first workflow task', async () => {
    const { history, reports } = await run('noop');
    expect(countEvents(history, 'WorkflowTaskCompleted')).toBe(1);
    expect(countEvents(history, 'WorkflowExecutionCompleted')).toBe(1);
    expectReportedOnce(reports);
    expect(reports[0]!.workflowType).toBe('noopWorkflow');
  });

  it('activity runs one noop activity', async () => {
    const { history, reports } = await run('activity');
    expect(countEvents(history, 'ActivityTaskScheduled')).toBe(1);
    expect(countEvents(history, 'ActivityTaskCompleted')).toBe(1);
    expectReportedOnce(reports);
  });

  it('activity with heartbeats resumes from the last heartbeat details after a failure', async () => {
    const call = { name: 'heartbeat', durationMs: 500, intervalMs: 100, failFirstAttemptAtMs: 300 };
    const { result, history } = await run('activity', { call, retry: { initialIntervalMs: 100 } });
    const r = result as { attempt: number; resumedFromMs: number; heartbeats: number };
    expect(r.attempt).toBe(2);
    expect(r.resumedFromMs).toBeGreaterThanOrEqual(100);
    expect(r.resumedFromMs).toBeLessThanOrEqual(300);
    expect(r.heartbeats).toBe((500 - r.resumedFromMs) / 100);
    expect(eventsNamed(history, 'ActivityTaskStarted')[0]!.activityTaskStartedEventAttributes!.attempt).toBe(2);
  });

  it('chain of 3 gives 3 ActivityTaskCompleted, each scheduled after the previous completed', async () => {
    const { result, history, reports } = await run('chain', { length: 3 });
    expect(result).toBe(3);
    const events = history.events!.filter((e) => ['ActivityTaskScheduled', 'ActivityTaskCompleted'].includes(eventName(e)));
    expect(events.map(eventName)).toEqual(Array(3).fill(['ActivityTaskScheduled', 'ActivityTaskCompleted']).flat());
    expectReportedOnce(reports);
  });

  it('fanout of 4 schedules 4 activities in one workflow task and joins them', async () => {
    const { history, reports } = await run('fanout', { count: 4 });
    const scheduled = eventsNamed(history, 'ActivityTaskScheduled');
    expect(scheduled).toHaveLength(4);
    const batches = new Set(scheduled.map((e) => String(e.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId)));
    expect(batches.size).toBe(1);
    expect(countEvents(history, 'ActivityTaskCompleted')).toBe(4);
    expectReportedOnce(reports);
  });

  it('children of 3 gives 3 ChildWorkflowExecutionCompleted, reported as children', async () => {
    const { history, reports, childReports } = await run('children', { count: 3 });
    expect(countEvents(history, 'ChildWorkflowExecutionCompleted')).toBe(3);
    expectReportedOnce(reports);
    expect(childReports).toHaveLength(3);
    expect(childReports.every((c) => c.isChild && c.workflowType === 'noopWorkflow')).toBe(true);
  });

  it('timers: 3 timers of 100 ms give 3 TimerFired', async () => {
    const { history, reports } = await run('timers', { count: 3, durationMs: 100 });
    expect(countEvents(history, 'TimerFired')).toBe(3);
    const started = eventsNamed(history, 'TimerStarted');
    expect(started.map((e) => Number(e.timerStartedEventAttributes!.startToFireTimeout!.nanos) / 1e6)).toEqual([100, 100, 100]);
    expectReportedOnce(reports);
  });

  it('signals: signal-with-start plus 2 signals return what was sent', async () => {
    const workflowId = `signals-${randomUUID()}`;
    const handle = await h.client.workflow.signalWithStart('signalsWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: workflowArgs('signals', { count: 3 }),
      signal: names.signal,
      signalArgs: ['first'],
    });
    await handle.signal(names.signal, { n: 2 });
    await handle.signal(names.signal, 3);
    expect(await handle.result()).toEqual(['first', { n: 2 }, 3]);
    const { history, reports } = await finished(workflowId);
    expect(countEvents(history, 'WorkflowExecutionSignaled')).toBe(3);
    expectReportedOnce(reports);
  });

  it('update: updates and signals are answered by the query and returned on finish', async () => {
    const handle = await start('update');
    expect(await handle.executeUpdate(names.update, { args: ['a'] })).toBe(1);
    expect(await handle.executeUpdate(names.update, { args: [{ b: 2 }] })).toBe(2);
    await handle.signal(names.add, 'c');
    await vi.waitFor(async () => expect(await handle.query(names.received)).toEqual(['a', { b: 2 }, 'c']));
    await handle.signal(names.finish);
    expect(await handle.result()).toEqual(['a', { b: 2 }, 'c']);
    const { history, reports } = await finished(handle.workflowId);
    expect(countEvents(history, 'WorkflowExecutionUpdateCompleted')).toBe(2);
    expectReportedOnce(reports);
  });

  it('payload sizes are visible in history: input, activity input/result, result', async () => {
    const { result, history, reports } = await run('payload', { inputBytes: 3000, resultBytes: 5000, activityBytes: 7000 });
    expect((result as Uint8Array).length).toBe(5000);
    const attrs = (name: string) => eventsNamed(history, name)[0]!;
    expect(payloadSize(attrs('WorkflowExecutionStarted').workflowExecutionStartedEventAttributes!.input, 1)).toBe(3000);
    expect(payloadSize(attrs('ActivityTaskScheduled').activityTaskScheduledEventAttributes!.input, 1)).toBe(7000);
    expect(payloadSize(attrs('ActivityTaskCompleted').activityTaskCompletedEventAttributes!.result)).toBe(7000);
    expect(payloadSize(attrs('WorkflowExecutionCompleted').workflowExecutionCompletedEventAttributes!.result)).toBe(5000);
    expectReportedOnce(reports);
  });

  it('continue-as-new every 2 iterations up to 5 gives 3 runs, reported once', async () => {
    const handle = await start('continue-as-new', { iterationsPerRun: 2, totalIterations: 5 });
    expect(await handle.result()).toEqual({ iterations: 5, runs: 3 });
    const firstRun = await h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
    const continued = eventsNamed(firstRun, 'WorkflowExecutionContinuedAsNew');
    expect(continued).toHaveLength(1);
    expect(countEvents(firstRun, 'ActivityTaskCompleted')).toBe(2);
    const { history, reports } = await finished(handle.workflowId);
    expect(history.events![0]!.workflowExecutionStartedEventAttributes!.continuedExecutionRunId).not.toBe(handle.firstExecutionRunId);
    expect(countEvents(history, 'ActivityTaskCompleted')).toBe(1);
    expectReportedOnce(reports);
  });

  it('retry: 2 planned failures give success on attempt 3', async () => {
    const { result, history, reports } = await run('retry', { failures: 2 });
    expect(result).toBe(3);
    expect(eventsNamed(history, 'ActivityTaskStarted')[0]!.activityTaskStartedEventAttributes!.attempt).toBe(3);
    expect(countEvents(history, 'ActivityTaskCompleted')).toBe(1);
    expectReportedOnce(reports);
  });

  it('retry: probabilistic failures follow the seeded per-attempt coin', async () => {
    const seed = 5; // attempts 1 and 2 fail at p=0.6 for this seed
    let expected = 1;
    while (seededUnit(seed, expected) < 0.6) expected++;
    const { result } = await run('retry', { failures: 0, probability: 0.6, seed });
    expect(expected).toBe(3);
    expect(result).toBe(expected);
  });

  it('local-activity of 3 gives 3 MarkerRecorded and no scheduled activity', async () => {
    const { history, reports } = await run('local-activity', { count: 3 });
    expect(countEvents(history, 'MarkerRecorded')).toBe(3);
    expect(countEvents(history, 'ActivityTaskScheduled')).toBe(0);
    expectReportedOnce(reports);
  });

  it('program runs a tree: parallel branch, child, continue-as-new, then awaits 2 signals', async () => {
    const program: Step = {
      kind: 'sequence',
      steps: [
        { kind: 'parallel', steps: [{ kind: 'activity' }, { kind: 'timer', ms: 100 }, { kind: 'localActivity' }, { kind: 'payload', bytes: 2000 }] },
        { kind: 'child', program: { kind: 'sequence', steps: [{ kind: 'activity' }, { kind: 'timer', ms: 50 }] } },
        { kind: 'continueAsNew', times: 1 },
        { kind: 'awaitSignal', name: 'go', count: 2 },
      ],
    };
    const handle = await start('program', { program });
    // Signals go to the second run: one sent to the first would be lost with its continue-as-new.
    await vi.waitFor(async () => expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId), { timeout: 30_000, interval: 100 });
    await handle.signal('go');
    await handle.signal('go');
    const executed = { sequence: 1, parallel: 1, activity: 1, timer: 1, localActivity: 1, payload: 1, child: 1, continueAsNew: 1, awaitSignal: 1 };
    expect(await handle.result()).toEqual({ executed, continuations: 1 });
    const { history, reports, childReports } = await finished(handle.workflowId);
    expect(countEvents(history, 'ActivityTaskCompleted')).toBe(2); // activity + payload echo
    expect(countEvents(history, 'TimerFired')).toBe(1);
    expect(countEvents(history, 'MarkerRecorded')).toBe(1);
    expect(countEvents(history, 'ChildWorkflowExecutionCompleted')).toBe(1);
    expect(countEvents(history, 'WorkflowExecutionSignaled')).toBe(2);
    const results = eventsNamed(history, 'ActivityTaskCompleted').map((e) => payloadSize(e.activityTaskCompletedEventAttributes!.result));
    expect(results).toContain(2000);
    expectReportedOnce(reports);
    expect(childReports).toHaveLength(2); // one child per run
    expect(childReports.every((c) => c.isChild && c.workflowType === 'programWorkflow')).toBe(true);
  });
});

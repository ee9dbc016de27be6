/**
 * Runs every workflow kind once on a running stack and writes the first run's history to
 * test/fixtures/histories/<kind>.json (the replay fixtures of test/unit/replay.test.ts).
 *
 *   npx tsx scripts/record-histories.ts [--address 127.0.0.1:27233] [--namespace bench]
 *
 * The stack needs updates enabled: --dynamic-config frontend.enableUpdateWorkflowExecution=true.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { workflowArgs, workflowKinds } from '../catalog/kinds.js';
import { names, type Step } from '../workflows/types.js';
import { startBenchWorker, type BenchWorkerHarness } from '../test/helpers/bench-worker.js';
import { fixtureFile, fixturesDir, historyToFixture, recordedWorkflowId } from '../test/helpers/history-json.js';
import { repoRoot } from '../test/helpers/test-stack.js';
import { benchWorkflowBundle } from '../test/helpers/workflow-bundle.js';

/** Small inputs: fixtures stay readable and every branch of each kind still runs. */
const inputs: Record<string, object> = {
  activity: { call: { name: 'heartbeat', durationMs: 300, intervalMs: 100, failFirstAttemptAtMs: 100 } },
  chain: { length: 3 },
  fanout: { count: 3 },
  children: { count: 2 },
  timers: { count: 2, durationMs: 100 },
  signals: { count: 2 },
  payload: { inputBytes: 100, resultBytes: 200, activityBytes: 300 },
  'continue-as-new': { iterationsPerRun: 2, totalIterations: 4 },
  retry: { failures: 2 },
  'local-activity': { count: 2 },
  program: {
    program: {
      kind: 'sequence',
      steps: [
        { kind: 'parallel', steps: [{ kind: 'activity' }, { kind: 'localActivity' }, { kind: 'timer', ms: 100 }, { kind: 'payload', bytes: 100 }] },
        { kind: 'child', program: { kind: 'activity' } },
        { kind: 'awaitSignal', name: 'go', count: 1 },
        { kind: 'continueAsNew', times: 1 },
      ],
    } satisfies Step,
  },
};

type Handle = WorkflowHandleWithFirstExecutionRunId;

/** Kinds that need a client to talk to them while they run; the rest just run to completion. */
const drivers: Record<string, (handle: Handle) => Promise<unknown>> = {
  signals: async (handle) => {
    await handle.signal(names.signal, 'one');
    await handle.signal(names.signal, 'two');
  },
  update: async (handle) => {
    await handle.executeUpdate(names.update, { args: ['a'] });
    await handle.signal(names.add, 'b');
    await handle.query(names.received);
    await handle.signal(names.finish);
  },
  program: async (handle) => {
    await handle.signal('go');
    await waitForNewRun(handle);
    await handle.signal('go');
  },
};

async function waitForNewRun(handle: Handle): Promise<void> {
  for (;;) {
    if ((await handle.describe()).runId !== handle.firstExecutionRunId) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling interval, not a readiness guess
  }
}

async function record(h: BenchWorkerHarness, kind: (typeof workflowKinds)[number]): Promise<string> {
  const handle = await h.client.workflow.start(kind.workflowType, {
    taskQueue: h.taskQueue,
    workflowId: recordedWorkflowId(kind.name),
    args: workflowArgs(kind.name, inputs[kind.name] ?? {}),
  });
  await drivers[kind.name]?.(handle);
  await handle.result();
  // The first run: for continue-as-new kinds it is the run that issued the continue-as-new command.
  const history = await h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
  const file = fixtureFile(kind.name);
  fs.writeFileSync(file, historyToFixture(history));
  return file;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { address: { type: 'string', default: '127.0.0.1:27233' }, namespace: { type: 'string', default: 'bench' } } });
  fs.mkdirSync(fixturesDir, { recursive: true });
  const h = await startBenchWorker({
    address: values.address!,
    namespace: values.namespace!,
    taskQueue: `record-${Date.now()}`,
    workflowBundle: await benchWorkflowBundle(),
  });
  try {
    for (const kind of workflowKinds) console.log(`${kind.name}: ${path.relative(repoRoot, await record(h, kind))}`);
  } finally {
    await h.stop();
  }
}

await main();

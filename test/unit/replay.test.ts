import fs from 'node:fs';
import { Worker, type ReplayResult, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowKinds } from '../../catalog/kinds.js';
import { fixtureFile as fixture, historyFromFixture, recordedWorkflowId } from '../helpers/history-json.js';
import { benchWorkflowBundle } from '../helpers/workflow-bundle.js';

function load(kind: string) {
  return historyFromFixture(fs.readFileSync(fixture(kind), 'utf8'));
}

let bundle: WorkflowBundleWithSourceMap;
const results = new Map<string, ReplayResult>();

// Replays every recorded history against today's workflow code (no server): a change that would
// break running workflows shows up here as a determinism error.
beforeAll(async () => {
  bundle = await benchWorkflowBundle();
  const recorded = workflowKinds.filter((k) => fs.existsSync(fixture(k.name)));
  const histories = recorded.map((k) => ({ workflowId: recordedWorkflowId(k.name), history: load(k.name) }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    results.set(result.workflowId, result);
  }
}, 120_000);

describe('replay of recorded histories', () => {
  it.each(workflowKinds.map((k) => k.name))('%s replays without a determinism error', (kind) => {
    expect(fs.existsSync(fixture(kind)), `no recorded history for '${kind}': run scripts/record-histories.ts`).toBe(true);
    const result = results.get(recordedWorkflowId(kind));
    expect(result?.error).toBeUndefined();
    expect(result).toBeDefined();
  });

  it('detects a mismatch: the timers history replayed as the chain workflow fails', async () => {
    const history = load('timers');
    history.events![0]!.workflowExecutionStartedEventAttributes!.workflowType!.name = 'chainWorkflow';
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, 'timers-as-chain')).rejects.toThrow(/[Nn]ondetermin|DeterminismViolation/);
  });
});

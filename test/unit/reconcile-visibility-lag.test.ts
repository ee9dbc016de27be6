import type { WorkflowService } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { reconcile, terminateLeftovers } from '../../runner/reconcile.js';

const statusPayload = (s: string) => ({ data: Buffer.from(JSON.stringify(s)) });
// WorkflowExecutionStatus: 1 running, 2 completed.
const RUNNING = 1;
const COMPLETED = 2;

/**
 * A server whose visibility lags: it counts and lists `listedRunning` as running, while the
 * executions themselves (DescribeWorkflowExecution) are in `actual`.
 */
function laggingServer(listedRunning: string[], completedInVisibility: number, actual: Record<string, number>) {
  const terminateCalls: string[] = [];
  const service = {
    countWorkflowExecutions: async () => ({
      groups: [
        { groupValues: [statusPayload('Running')], count: listedRunning.length },
        { groupValues: [statusPayload('Completed')], count: completedInVisibility },
      ],
    }),
    listWorkflowExecutions: async () => ({ executions: listedRunning.map((workflowId) => ({ execution: { workflowId } })), nextPageToken: new Uint8Array() }),
    describeWorkflowExecution: async ({ execution }: { execution: { workflowId: string } }) => ({ workflowExecutionInfo: { status: actual[execution.workflowId] } }),
    terminateWorkflowExecution: async ({ workflowExecution }: { workflowExecution: { workflowId: string } }) => {
      terminateCalls.push(workflowExecution.workflowId);
      if (actual[workflowExecution.workflowId] !== RUNNING) throw Object.assign(new Error('workflow execution already completed'), { code: 5 });
      return {};
    },
  };
  return { service: service as unknown as WorkflowService, terminateCalls };
}

describe('reconciliation when visibility lists closed workflows as running', () => {
  it('counts each listed-as-running workflow by the status of the execution itself', async () => {
    const { service } = laggingServer(['r-8', 'r-9'], 8, { 'r-8': COMPLETED, 'r-9': RUNNING });
    const lines: string[] = [];
    const counts = await reconcile({ service, namespace: 'bench', runId: 'r', taskQueue: 'bench-r', started: 10, maxN: 10, log: (l) => lines.push(l) });
    expect(counts).toMatchObject({ completed: 9, running: 1, unaccounted: 0 });
    expect(lines.join('\n')).toMatch(/visibility still lists 1 closed workflow\(s\) as running/);
  });

  it('stops terminating once every id visibility still lists has answered "already closed"', async () => {
    const { service, terminateCalls } = laggingServer(['r-3'], 9, { 'r-3': COMPLETED });
    const started = Date.now();
    const terminated = await terminateLeftovers(service, 'bench', 'bench-r', 'test', 60_000);
    expect(terminated).toBe(0);
    // One attempt, not a minute of retries against a record that visibility has not updated.
    expect(terminateCalls).toEqual(['r-3']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

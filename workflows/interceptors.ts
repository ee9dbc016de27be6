import { ContinueAsNew, isCancellation, proxySinks, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { intendedMemoKey, type BenchSinks, type CompletionEvent } from './sinks.js';

const { bench } = proxySinks<BenchSinks>();

function report(status: CompletionEvent['status']): void {
  const info = workflowInfo();
  bench.finished({
    workflowType: info.workflowType,
    taskQueue: info.taskQueue,
    workflowId: info.workflowId,
    startTimeMs: info.startTime.getTime(),
    intendedMs: typeof info.memo?.[intendedMemoKey] === 'number' ? info.memo[intendedMemoKey] : undefined,
    status,
    isChild: info.parent !== undefined,
  });
}

/**
 * Reports every workflow's end to the worker (through the `bench` sink) so end-to-end latency is
 * measured for every completed workflow without one long-poll per workflow on the server.
 * Continue-as-new is not an end: the last run of the chain reports.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        try {
          const result = await next(input);
          report('completed');
          return result;
        } catch (err) {
          if (!(err instanceof ContinueAsNew)) report(isCancellation(err) ? 'canceled' : 'failed');
          throw err;
        }
      },
    },
  ],
});

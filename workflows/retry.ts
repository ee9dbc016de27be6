import { callActivity } from './calls.js';
import type { RetryInput } from './types.js';

export interface RetryWorkflowInput {
  /** The activity fails its first `failures` attempts. */
  failures: number;
  /** Additionally fail each attempt with this probability, fixed per (seed, attempt). */
  probability?: number;
  seed?: number;
  retry?: RetryInput;
}

const fastRetry: RetryInput = { initialIntervalMs: 100, backoffCoefficient: 1, maximumAttempts: 0 };

/** An activity that fails and is retried by the server; returns the attempt that succeeded. */
export async function retryWorkflow({ failures, probability, seed, retry }: RetryWorkflowInput): Promise<number> {
  const call = { name: 'failUntilAttempt' as const, failures, probability, seed };
  return (await callActivity(call, { ...fastRetry, ...retry })) as number;
}

import { ApplicationFailure } from '@temporalio/workflow';
import { deterministicBytes } from './bytes.js';
import { callActivity } from './calls.js';

export interface PayloadInput {
  /** Size of the second workflow argument the client sends (see `workflowArgs` in kinds.ts). */
  inputBytes: number;
  resultBytes: number;
  /** Size of each activity's input and of its result. */
  activityBytes: number;
  activityCount?: number;
}

/**
 * Moves payloads of chosen sizes through every path: workflow input (the raw `data` argument),
 * activity input and result (echo), and workflow result. Binary payloads keep sizes exact.
 */
export async function payloadWorkflow(input: PayloadInput, data?: Uint8Array): Promise<Uint8Array> {
  const received = data?.length ?? 0;
  if (received !== input.inputBytes) {
    throw ApplicationFailure.nonRetryable(`expected ${input.inputBytes} input bytes, got ${received}`, 'BenchBadInput');
  }
  for (let i = 0; i < (input.activityCount ?? 1); i++) {
    const bytes = input.activityBytes;
    await callActivity({ name: 'echo', bytes }, undefined, deterministicBytes(bytes, i + 1));
  }
  return deterministicBytes(input.resultBytes, input.resultBytes);
}

import { callActivity } from './calls.js';
import type { ActivityCall, RetryInput } from './types.js';

export interface ActivityInput {
  /** Defaults to the noop activity: the standard baseline. */
  call?: ActivityCall;
  retry?: RetryInput;
}

/** One activity, result returned: the baseline shape (schedule, dispatch, complete). */
export async function activityWorkflow(input: ActivityInput = {}): Promise<unknown> {
  return callActivity(input.call, input.retry);
}

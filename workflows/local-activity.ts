import { callLocalActivity } from './calls.js';
import type { ActivityCall } from './types.js';

export interface LocalActivityInput {
  count: number;
  call?: ActivityCall;
}

/** N local activities in sequence: run in the worker, recorded as markers, no matching round trip. */
export async function localActivityWorkflow({ count, call }: LocalActivityInput): Promise<number> {
  for (let i = 0; i < count; i++) await callLocalActivity(call);
  return count;
}

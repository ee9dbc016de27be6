import { callActivity } from './calls.js';
import type { ActivityCall } from './types.js';

export interface FanoutInput {
  count: number;
  call?: ActivityCall;
}

/** N activities scheduled in one workflow task and joined: matching/dispatch bursts. */
export async function fanoutWorkflow({ count, call }: FanoutInput): Promise<number> {
  await Promise.all(Array.from({ length: count }, () => callActivity(call)));
  return count;
}

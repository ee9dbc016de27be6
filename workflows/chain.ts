import { callActivity } from './calls.js';
import type { ActivityCall } from './types.js';

export interface ChainInput {
  length: number;
  call?: ActivityCall;
}

/** N activities one after another: one workflow task per step, a long serial history. */
export async function chainWorkflow({ length, call }: ChainInput): Promise<number> {
  for (let i = 0; i < length; i++) await callActivity(call);
  return length;
}

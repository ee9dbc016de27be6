import { sleep } from '@temporalio/workflow';

export interface TimersInput {
  count: number;
  durationMs: number;
  /** Start all timers at once instead of one after another. */
  parallel?: boolean;
}

/** N durable timers of D ms: exercises the history timer queue. */
export async function timersWorkflow({ count, durationMs, parallel = false }: TimersInput): Promise<number> {
  if (parallel) {
    await Promise.all(Array.from({ length: count }, () => sleep(durationMs)));
  } else {
    for (let i = 0; i < count; i++) await sleep(durationMs);
  }
  return count;
}

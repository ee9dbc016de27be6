import { continueAsNewKeepingMemo } from './calls.js';
import { callActivity } from './calls.js';

export interface ContinueAsNewInput {
  iterationsPerRun: number;
  totalIterations: number;
  /** Whether each iteration runs a noop activity (otherwise iterations are empty). */
  activity?: boolean;
  /** Carried across runs; clients leave them unset. */
  done?: number;
  runs?: number;
}

export interface ContinueAsNewResult {
  iterations: number;
  runs: number;
}

/** Long logical histories split into runs: continue-as-new every N iterations up to a total. */
export async function continueAsNewWorkflow(input: ContinueAsNewInput): Promise<ContinueAsNewResult> {
  let done = input.done ?? 0;
  const runs = (input.runs ?? 0) + 1;
  const stop = Math.min(input.totalIterations, done + input.iterationsPerRun);
  for (; done < stop; done++) {
    if (input.activity ?? true) await callActivity();
  }
  if (done < input.totalIterations) {
    return continueAsNewKeepingMemo<typeof continueAsNewWorkflow>({ ...input, done, runs });
  }
  return { iterations: done, runs };
}

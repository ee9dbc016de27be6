import { ApplicationFailure, Context } from '@temporalio/activity';
import { seededUnit } from '../workflows/bytes.js';

export interface FailUntilAttemptInput {
  /** Fail the first `failures` attempts; attempt failures+1 succeeds. */
  failures: number;
  /** Also fail any attempt with this probability (decided by seed and attempt, so reruns agree). */
  probability?: number;
  seed?: number;
}

/** Throws a retryable ApplicationFailure until the wanted attempt; returns the attempt that succeeded. */
export async function failUntilAttempt({ failures, probability = 0, seed = 1 }: FailUntilAttemptInput): Promise<number> {
  const { attempt } = Context.current().info;
  if (attempt <= failures) {
    throw ApplicationFailure.retryable(`planned failure ${attempt}/${failures}`, 'BenchPlannedFailure');
  }
  if (probability > 0 && seededUnit(seed, attempt) < probability) {
    throw ApplicationFailure.retryable(`random failure at attempt ${attempt} (p=${probability})`, 'BenchRandomFailure');
  }
  return attempt;
}

import { ApplicationFailure, Context } from '@temporalio/activity';

export interface HeartbeatInput {
  /** Total work time across attempts. */
  durationMs: number;
  intervalMs: number;
  /**
   * Test knob: the first attempt fails once its progress reaches this many ms, so the retry shows
   * that progress resumes from the last heartbeat details.
   */
  failFirstAttemptAtMs?: number;
}

export interface HeartbeatResult {
  attempt: number;
  /** Progress (ms) recovered from the heartbeat details of the previous attempt. */
  resumedFromMs: number;
  heartbeats: number;
}

/** Long-running work that heartbeats its progress every `intervalMs` and resumes from it on retry. */
export async function heartbeat(input: HeartbeatInput): Promise<HeartbeatResult> {
  const ctx = Context.current();
  const resumedFromMs = Number(ctx.info.heartbeatDetails ?? 0) || 0;
  let progress = resumedFromMs;
  let heartbeats = 0;
  while (progress < input.durationMs) {
    const step = Math.min(input.intervalMs, input.durationMs - progress);
    await ctx.sleep(step);
    progress += step;
    ctx.heartbeat(progress);
    heartbeats++;
    const failAt = input.failFirstAttemptAtMs;
    if (failAt !== undefined && ctx.info.attempt === 1 && progress >= failAt && progress < input.durationMs) {
      throw ApplicationFailure.retryable(`planned failure at ${progress} ms`, 'BenchPlannedFailure');
    }
  }
  return { attempt: ctx.info.attempt, resumedFromMs, heartbeats };
}

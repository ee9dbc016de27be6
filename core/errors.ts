/**
 * Exit codes and the error types that map to them. Every command failure a user can act on is a
 * one-line cause; stack traces are shown only with BENCH_DEBUG=1.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** The numbers are not trustworthy: the generator could not hold the rate, or a comparison's hosts differed. */
  invalidRun: 98,
  thresholdsFailed: 99,
} as const;

/** Bad flags, bad config, unreachable endpoints, missing tools: the user must change something. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure with a specific exit code (e.g. a stack that died). */
export class BenchError extends Error {
  override name = 'BenchError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failure,
  ) {
    super(message);
  }
}

export function usage(message: string): never {
  throw new UsageError(message);
}

/** The exit code and the single line to print for any thrown value. */
export function describeFailure(err: unknown): { code: number; line: string } {
  if (err instanceof UsageError) return { code: ExitCode.usage, line: err.message };
  if (err instanceof BenchError) return { code: err.exitCode, line: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: ExitCode.failure, line: message.split('\n')[0] ?? 'unknown error' };
}

/**
 * Data types shared by workflow code, the kind catalog and clients. Pure types and constants only:
 * importable both inside the workflow sandbox and outside it.
 */
import type { CpuBurnInput, EchoInput, FailUntilAttemptInput, HeartbeatInput, SleepInput } from '../activities/index.js';

/** One activity invocation described as data (the activity name plus its input). */
export type ActivityCall =
  | { name: 'noop' }
  | ({ name: 'sleep' } & SleepInput)
  | ({ name: 'echo' } & EchoInput)
  | ({ name: 'cpuBurn' } & CpuBurnInput)
  | ({ name: 'failUntilAttempt' } & FailUntilAttemptInput)
  | ({ name: 'heartbeat' } & HeartbeatInput);

export const activityNames = ['noop', 'sleep', 'echo', 'cpuBurn', 'failUntilAttempt', 'heartbeat'] as const;

/** Retry policy knobs as data; unset fields keep the server defaults. */
export interface RetryInput {
  initialIntervalMs?: number;
  backoffCoefficient?: number;
  /** 0 = unlimited. */
  maximumAttempts?: number;
}

/** A program step: the tree the `program` workflow interprets. */
export type Step =
  | { kind: 'sequence'; steps: Step[] }
  | { kind: 'parallel'; steps: Step[] }
  | { kind: 'activity'; call?: ActivityCall; retry?: RetryInput }
  | { kind: 'localActivity'; call?: ActivityCall; retry?: RetryInput }
  | { kind: 'timer'; ms: number }
  | { kind: 'child'; program: Step }
  | { kind: 'awaitSignal'; name: string; count: number }
  /** Continue as new (rerunning the whole program) until the chain has `times` continuations. */
  | { kind: 'continueAsNew'; times: number }
  /** Round-trips `bytes` bytes through an echo activity (input and result both `bytes`). */
  | { kind: 'payload'; bytes: number };

export type StepKind = Step['kind'];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** Signal, update and query names, so clients need not import workflow code. */
export const names = {
  signal: 'bench-signal',
  add: 'bench-add',
  update: 'bench-update',
  finish: 'bench-finish',
  received: 'bench-received',
} as const;

/** The steps a step contains that run in the same workflow (a child's program runs in the child). */
export function innerSteps(step: Step): Step[] {
  return step.kind === 'sequence' || step.kind === 'parallel' ? step.steps : [];
}

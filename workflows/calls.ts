import { makeContinueAsNewFunc, proxyActivities, proxyLocalActivities, workflowInfo, type ActivityOptions, type LocalActivityOptions, type Workflow } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ActivityCall, RetryInput } from './types.js';

export const noopCall: ActivityCall = { name: 'noop' };

function retryPolicy(retry: RetryInput | undefined): ActivityOptions['retry'] {
  if (!retry) return undefined;
  return {
    initialInterval: retry.initialIntervalMs,
    backoffCoefficient: retry.backoffCoefficient,
    // The SDK wants a positive count or nothing; 0 means unlimited in our data.
    maximumAttempts: retry.maximumAttempts || undefined,
  };
}

/** How long the activity is meant to take, in ms (0 for the instant ones). */
function expectedMs(call: ActivityCall): number {
  switch (call.name) {
    case 'sleep':
    case 'cpuBurn':
      return call.ms;
    case 'heartbeat':
      return call.durationMs;
    default:
      return 0;
  }
}

/**
 * Timeouts per call. Start-to-close is the expected duration plus 10 s: a task lost between matching
 * and a worker (seen under CPU starvation) is retried in seconds and shows in the tail latency, rather
 * than stalling its workflow past the run's drain. A heartbeating activity must heartbeat within a
 * few intervals or be retried.
 */
function options(call: ActivityCall, retry: RetryInput | undefined): ActivityOptions {
  const heartbeatTimeout = call.name === 'heartbeat' ? Math.max(1000, call.intervalMs * 5) : undefined;
  return { startToCloseTimeout: expectedMs(call) + 10_000, heartbeatTimeout, retry: retryPolicy(retry) };
}

// Every activity takes one input object, so the call itself is passed (its extra `name` is ignored).
type Invoke = (input: ActivityCall, ...rest: unknown[]) => Promise<unknown>;

/** Runs one activity described as data; `rest` carries extra arguments such as payload bytes. */
export function callActivity(call: ActivityCall = noopCall, retry?: RetryInput, ...rest: unknown[]): Promise<unknown> {
  const fns = proxyActivities<Activities>(options(call, retry));
  return (fns[call.name] as Invoke)(call, ...rest);
}

/** The same as a local activity (a MarkerRecorded event instead of scheduled/started/completed). */
export function callLocalActivity(call: ActivityCall = noopCall, retry?: RetryInput): Promise<unknown> {
  const { heartbeatTimeout: _unused, ...rest } = options(call, retry);
  const fns = proxyLocalActivities<Activities>(rest as LocalActivityOptions);
  return (fns[call.name] as Invoke)(call);
}

/**
 * Continue-as-new that carries the memo over (the SDK sends none by default): the runner's intended
 * start time lives there, and the chain's last run reports the end-to-end latency against it.
 */
export function continueAsNewKeepingMemo<F extends Workflow>(...args: Parameters<F>): Promise<never> {
  return makeContinueAsNewFunc<F>({ memo: workflowInfo().memo })(...args);
}

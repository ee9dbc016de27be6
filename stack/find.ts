import { sameHost } from '../core/connection.js';
import { defaultStackDir } from './options.js';
import { runningStack } from './stack.js';
import type { StackState } from './state.js';

/**
 * The running local stack whose frontend is `address` (runs, capacity, faults and TLS pickup all find it so): at one of
 * `dirs` (an explicit --stack-dir first), else at the default stack directory. Undefined for a remote cluster.
 */
export function findLocalStack(address: string, dirs: (string | undefined)[]): StackState | undefined {
  for (const dir of [...dirs, defaultStackDir()]) {
    if (!dir) continue;
    const state = runningStack(dir);
    if (state && sameHost(state.frontendAddress) === sameHost(address)) return state;
  }
  return undefined;
}

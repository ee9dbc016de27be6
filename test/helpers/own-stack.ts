import { afterAll, beforeAll } from 'vitest';
import type { StackOptions } from '../../stack/options.js';
import { stackDown, stackUp } from '../../stack/stack.js';
import type { StackState } from '../../stack/state.js';
import { testStackOptions } from './test-stack.js';

/**
 * A test stack of a suite's own (one that faults break, or with another scrape interval), started
 * before the suite and wiped after it. Call inside `describe`; the getter is valid in its tests.
 */
export function ownTestStack(name: string, slot: number, overrides: Partial<StackOptions>): () => StackState {
  const options = testStackOptions(name, slot, overrides);
  let stack: StackState;
  beforeAll(async () => {
    stack = await stackUp(options, () => undefined);
  }, 300_000);
  afterAll(async () => {
    await stackDown(options.dir, true, () => undefined);
  }, 120_000);
  return () => stack;
}

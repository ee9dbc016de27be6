import type { TestProject } from 'vitest/node';
import { stackDown, stackUp } from '../../stack/stack.js';
import type { StackState } from '../../stack/state.js';
import { testStackOptions } from '../helpers/test-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackState;
  }
}

/**
 * One production-shaped stack (PostgreSQL, 512 shards, Prometheus) shared by the integration tests;
 * started once, stopped after the run. Tests that need their own stack start it themselves.
 */
export default async function setup(project: TestProject) {
  const options = testStackOptions('shared', 0);
  const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);
  const state = await stackUp(options, log);
  project.provide('stack', state);
  return async () => {
    if (!process.env.BENCH_TEST_KEEP_STACK) await stackDown(options.dir, false, log);
  };
}

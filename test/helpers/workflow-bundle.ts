import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { repoRoot } from './test-stack.js';

export const workflowsPath = path.join(repoRoot, 'workflows', 'index.ts');
export const interceptorsPath = createRequire(import.meta.url).resolve('../../workflows/interceptors.ts');

/**
 * The bench workflow bundle with the completion interceptor compiled in (a Worker ignores
 * `interceptors.workflowModules` when given a prebuilt bundle). Slow: build once per test file.
 */
export function benchWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: [interceptorsPath], logger: quietLogger });
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };

import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distDir, isCompiled, moduleExtension } from '../core/package-paths.js';
import { cacheDir } from '../stack/options.js';
import { findKind } from '../catalog/kinds.js';

const workflowsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'workflows');
const require = createRequire(import.meta.url);

/** Kinds whose workflows start other kinds as children (the child types must be registered too). */
const childKinds: Record<string, string[]> = { children: ['noop', 'activity'] };

/** Workflow type names to register for the chosen kinds; undefined = every kind (workflows/index.ts). */
function workflowTypes(kinds: string[] | undefined): string[] | undefined {
  if (!kinds) return undefined;
  const all = new Set(kinds.flatMap((k) => [k, ...(childKinds[k] ?? [])]));
  return [...all].map((k) => findKind(k).workflowType).sort();
}

function sourceHash(types: string[] | undefined): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({ types, sdk: require('@temporalio/workflow/package.json').version }));
  for (const file of fs
    .readdirSync(workflowsDir)
    .filter((f) => f.endsWith(moduleExtension))
    .sort()) {
    hash.update(file).update(fs.readFileSync(path.join(workflowsDir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

const quiet = () => {};
const logger = { trace: quiet, debug: quiet, info: quiet, log: quiet, warn: quiet, error: (m: string) => process.stderr.write(`${m}\n`) };

/** The node_modules directories this package resolves the SDK from, wherever it is installed. */
function sdkModuleDirs(): string[] {
  return require.resolve.paths('@temporalio/workflow') ?? [];
}

/** The bundle `npm run build` made of every kind; workers load it instead of running webpack. */
export const prebuiltBundlePath = path.join(distDir, 'workflow-bundle.js');

/**
 * Runs webpack over the workflow code (every kind, or only `types`). The completion interceptor must
 * be compiled in: a Worker given a prebuilt bundle ignores `interceptors.workflowModules`.
 */
export async function bundleWorkflows(types?: string[]): Promise<string> {
  let entry = path.join(workflowsDir, `index${moduleExtension}`);
  let generated: string | undefined;
  if (types) {
    // Only the chosen kinds are exported, so only they are registered on the task queue. The entry
    // lives in a temp dir (an installed package may be read-only); webpack is told where the SDK is.
    generated = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-workflows-'));
    entry = path.join(generated, `entry${moduleExtension}`);
    // With the program kind, unknown types run as programs too (profiled scenarios start them by name).
    const exported = types.includes('programWorkflow') ? [...types, 'default'] : types;
    fs.writeFileSync(entry, `export { ${exported.join(', ')} } from ${JSON.stringify(path.join(workflowsDir, `index${moduleExtension}`))};\n`);
  }
  try {
    // Loaded here, not at the top: the SDK's index brings webpack and the replayer (~20 MB of heap that
    // every later GC walks), which a coordinator with a prebuilt bundle or external workers never needs.
    const { bundleWorkflowCode } = await import('@temporalio/worker');
    const { code } = await bundleWorkflowCode({
      workflowsPath: entry,
      workflowInterceptorModules: [path.join(workflowsDir, `interceptors${moduleExtension}`)],
      logger,
      webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? []), ...sdkModuleDirs()] } }),
    });
    return code;
  } finally {
    if (generated) fs.rmSync(generated, { recursive: true, force: true });
  }
}

/**
 * The workflow bundle for a worker pool: the build's prebuilt one when it covers the request (every
 * kind), else webpack once for all worker processes, cached by the workflow sources' hash.
 */
export async function prebuildWorkflowBundle(kinds?: string[]): Promise<string> {
  const types = workflowTypes(kinds);
  if (!types && isCompiled && fs.existsSync(prebuiltBundlePath)) return prebuiltBundlePath;
  const dir = path.join(cacheDir(), 'workflow-bundles');
  const file = path.join(dir, `bench-workflows-${sourceHash(types)}.js`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const code = await bundleWorkflows(types);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file);
  return file;
}

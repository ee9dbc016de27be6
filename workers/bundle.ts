import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { cacheDir } from '../stack/options';
import { findKind } from '../workflows/kinds';

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
  for (const file of fs.readdirSync(workflowsDir).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(workflowsDir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

const quiet = () => {};
const logger = { trace: quiet, debug: quiet, info: quiet, log: quiet, warn: quiet, error: (m: string) => process.stderr.write(`${m}\n`) };

/**
 * Builds the workflow bundle once for all worker processes (webpack is seconds of CPU per build) and
 * caches it by the workflow sources' hash. The completion interceptor must be compiled in: a Worker
 * given a prebuilt bundle ignores `interceptors.workflowModules`.
 */
export async function prebuildWorkflowBundle(kinds?: string[]): Promise<string> {
  const types = workflowTypes(kinds);
  const dir = path.join(cacheDir(), 'workflow-bundles');
  const file = path.join(dir, `bench-workflows-${sourceHash(types)}.js`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  let entry = path.join(workflowsDir, 'index.ts');
  let generated: string | undefined;
  if (types) {
    // Only the chosen kinds are exported, so only they are registered on the task queue.
    // Inside the project tree: webpack resolves the SDK's generated entrypoint from its directory.
    const scratch = path.join(workflowsDir, '..', 'node_modules', '.cache');
    fs.mkdirSync(scratch, { recursive: true });
    generated = fs.mkdtempSync(path.join(scratch, 'bench-workflows-'));
    entry = path.join(generated, 'entry.ts');
    fs.writeFileSync(entry, `export { ${types.join(', ')} } from ${JSON.stringify(path.join(workflowsDir, 'index'))};\n`);
  }
  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath: entry,
      workflowInterceptorModules: [path.join(workflowsDir, 'interceptors.ts')],
      logger,
    });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
    return file;
  } finally {
    if (generated) fs.rmSync(generated, { recursive: true, force: true });
  }
}

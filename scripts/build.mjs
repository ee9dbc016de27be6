#!/usr/bin/env node
// `npm run build`: compiles the harness to dist/ (tsc), copies the files it reads at run time, records
// the version and commit, and bundles the workflow code once so workers never run webpack at start.
// Plain JavaScript so that building needs nothing but the dev dependencies.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const started = Date.now();
const step = (what) => process.stderr.write(`build: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
step('compiled TypeScript to dist/');

// Files the code reads beside itself at run time (report page assets, the pinned server module).
for (const dir of ['reports/client', 'stack/server-build']) fs.cpSync(path.join(root, dir), path.join(dist, dir), { recursive: true });

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
let gitSha = process.env.BENCH_GIT_SHA ?? 'unknown';
try {
  gitSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
} catch {
  /* not a git checkout (e.g. a container build context): BENCH_GIT_SHA or unknown */
}
fs.writeFileSync(path.join(dist, 'build-info.json'), `${JSON.stringify({ version: pkg.version, gitSha, builtAt: new Date().toISOString() }, null, 2)}\n`);

// The workflow bundle is made from the compiled workflows: what ships is what was bundled.
const { bundleWorkflows, prebuiltBundlePath } = await import(pathToFileURL(path.join(dist, 'workers/bundle.js')).href);
fs.writeFileSync(prebuiltBundlePath, await bundleWorkflows());
step(`bundled the workflow code -> ${path.relative(root, prebuiltBundlePath)}`);

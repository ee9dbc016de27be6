import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where this package lives, whichever way it runs: compiled JavaScript under `<root>/dist/` (an
 * installed copy, a container, or a built checkout) or TypeScript through tsx in a source checkout.
 * Paths are resolved from this file, never from the working directory: `bench` runs from anywhere.
 */
const here = fileURLToPath(import.meta.url);

/** True when this code is the compiled build (dist/), false when tsx runs the TypeScript sources. */
export const isCompiled = path.extname(here) === '.js';

/** The package root: the directory with package.json (dist/'s parent when compiled). */
export const packageRoot = path.resolve(path.dirname(here), isCompiled ? '../..' : '..');

/** `dist/` of the package (holds the prebuilt workflow bundle and build-info.json once built). */
export const distDir = path.join(packageRoot, 'dist');

/** The extension of this build's modules: '.js' compiled, '.ts' from source. */
export const moduleExtension = isCompiled ? '.js' : '.ts';

export interface ChildEntry {
  /** Absolute path of the module to fork. */
  modulePath: string;
  /** Node flags for the child: runtimeFlags; from source also tsx's loader, resolved from this package. */
  execArgv: string[];
}

/**
 * Extra Node flags for every forked child, from BENCH_CHILD_NODE_ARGS (space-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile workers and generators: NODE_OPTIONS refuses --cpu-prof.
 */
const extraChildArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Node flags every bench process runs with (bin/bench.js passes them too). V8's memory reducer
 * takes a process at a steady, modest allocation rate for idle and runs back-to-back full
 * collections to shrink its heap, then collects more often on the smaller heap: it was the largest
 * difference per thread between `bench run` and a bare starter at 20 starts/s (bench/overhead).
 * A load generator or worker pod sizes its memory for the peak anyway.
 */
export const runtimeFlags = ['--no-memory-reducer'];

/**
 * The entry for a child process (worker, generator) that lives next to `importerUrl`, e.g.
 * `childEntry(import.meta.url, 'child')`. From source the tsx loader is resolved from this package
 * (a caller's working directory has no tsx), and only then: tsx is a dev dependency.
 */
export function childEntry(importerUrl: string, name: string): ChildEntry {
  const modulePath = path.join(path.dirname(fileURLToPath(importerUrl)), `${name}${moduleExtension}`);
  return { modulePath, execArgv: [...runtimeFlags, ...(isCompiled ? [] : ['--import', import.meta.resolve('tsx')]), ...extraChildArgs] };
}

export interface BuildInfo {
  version: string;
  gitSha: string;
  builtAt: string;
}

/** What `npm run build` recorded (version and commit), or undefined from source. */
export function readBuildInfo(): BuildInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(distDir, 'build-info.json'), 'utf8')) as BuildInfo;
  } catch {
    return undefined;
  }
}

#!/bin/sh
// 2>/dev/null; exec node --no-memory-reducer "$0" "$@"
// ^ For the shell the line above runs `//` (fails, silently), then execs Node with runtimeFlags
// (core/package-paths.ts), which `#!/usr/bin/env node` cannot pass portably (`env -S` is not in
// busybox). For Node it is a comment. `node bin/bench.js` works too, without the flag.
// The `bench` command. Runs the compiled build (dist/), which is all an installed copy or a container
// has. In a source checkout whose TypeScript is newer than its build (or that was never built) it runs
// the sources through tsx instead, so a developer never runs a stale build; BENCH_FROM_SOURCE=1 forces that.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledIsCurrent } from './build-state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let main;
if (process.env.BENCH_FROM_SOURCE !== '1' && compiledIsCurrent(root)) {
  ({ main } = await import(pathToFileURL(path.join(root, 'dist', 'cli', 'main.js')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(path.join(root, 'cli', 'main.ts')).href));
}
await main(process.argv.slice(2));

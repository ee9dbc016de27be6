// Whether this package's compiled build (dist/) is what should run. Shared by bin/bench.js and the tests.
import fs from 'node:fs';
import path from 'node:path';

/** The folders `npm run build` compiles (tsconfig.build.json's include). */
const sourceDirs = [
  'activities',
  'capacity',
  'catalog',
  'cli',
  'compare',
  'core',
  'faults',
  'generator',
  'history',
  'merge',
  'metrics',
  'monitoring',
  'profile',
  'reports',
  'recorder',
  'runner',
  'scenarios',
  'schedule',
  'setup',
  'soak',
  'stack',
  'workers',
  'workflows',
];

function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(file));
    else if (/\.(ts|js|css)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * True when dist/ exists and, in a source checkout, is newer than every source file. An installed copy
 * has no sources: its dist/ is current by definition.
 */
export function compiledIsCurrent(root) {
  const stamp = path.join(root, 'dist', 'build-info.json');
  if (!fs.existsSync(stamp)) return false;
  if (!fs.existsSync(path.join(root, 'cli', 'main.ts'))) return true;
  const built = fs.statSync(stamp).mtimeMs;
  return sourceDirs.every((d) => !fs.existsSync(path.join(root, d)) || newestSourceMs(path.join(root, d)) <= built);
}

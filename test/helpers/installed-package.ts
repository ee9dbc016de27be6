import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compiledIsCurrent } from '../../bin/build-state.js';
import { repoRoot } from './test-stack.js';

export interface InstalledCopy {
  /** The directory the tarball was installed into (`npm install ./temporal-bench-X.tgz`). */
  dir: string;
  /** Its `bench` (node_modules/.bin/bench), what `npx bench` runs. */
  bin: string;
  tarball: string;
}

let installed: InstalledCopy | undefined;

/**
 * Packs this checkout with `npm pack` and installs the tarball into an empty directory outside it, as a
 * user who is not developing the harness would. The build must be current (scripts/test builds first):
 * packing skips the prepack build so a test never rewrites dist/ under the running suite.
 */
export function installPackedCopy(): InstalledCopy {
  if (installed) return installed;
  if (!compiledIsCurrent(repoRoot)) throw new Error('dist/ is missing or older than the sources: run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-installed-'));
  const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const name = npm(['pack', '--ignore-scripts', '--pack-destination', dir], repoRoot).trim().split('\n').pop()!;
  const tarball = path.join(dir, name);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"bench-user","private":true}\n');
  npm(['install', '--prefer-offline', tarball], dir);
  installed = { dir, bin: path.join(dir, 'node_modules', '.bin', 'bench'), tarball };
  return installed;
}

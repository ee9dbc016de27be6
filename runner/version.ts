import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot, readBuildInfo } from '../core/package-paths.js';

/**
 * The harness version and commit, recorded in every result. A build records both at build time;
 * from source they come from package.json and the checkout (an installed copy may sit inside some
 * other git repository, whose commit is not ours).
 */
export function harnessInfo(): { version: string; gitSha: string } {
  const built = readBuildInfo();
  if (built) return { version: built.version, gitSha: built.gitSha };
  return { version: packageVersion(), gitSha: checkoutSha() };
}

export function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function checkoutSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

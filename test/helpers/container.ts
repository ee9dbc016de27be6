import { execFile, execFileSync } from 'node:child_process';
import { repoRoot } from './test-stack.js';
import type { CliResult } from './cli.js';

/** Builds the project's Containerfile with buildah (scripts/image-build); returns the image name. */
export function buildImage(tag: string): string {
  const out = execFileSync('bash', [`${repoRoot}/scripts/image-build`, tag], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], timeout: 1_500_000 });
  return out.toString().trim().split('\n').pop()!;
}

/** The image's ENTRYPOINT, as `docker run` would use it (buildah run does not apply it itself). */
export function entrypoint(image: string): string[] {
  const info = JSON.parse(execFileSync('buildah', ['inspect', '--type', 'image', image]).toString()) as { OCIv1: { config: { Entrypoint?: string[] } } };
  return info.OCIv1.config.Entrypoint ?? [];
}

export interface RunOptions {
  /** host:container bind mounts. */
  volumes?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * `docker run --rm --network host IMAGE ARGS...` with buildah (chroot isolation: host network and pids;
 * `podman run` is refused on these machines): a working container from the image, its entrypoint with
 * ARGS as the image's user, then the container removed.
 */
export async function runImage(image: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const ctr = execFileSync('buildah', ['from', '--quiet', '--pull=never', image]).toString().trim();
  try {
    const flags = ['--isolation', 'chroot', '--network', 'host', ...(options.volumes ?? []).flatMap((v) => ['-v', v]), ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`])];
    return await new Promise((resolve) => {
      execFile('buildah', ['run', ...flags, ctr, '--', ...entrypoint(image), ...args], { timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    execFileSync('buildah', ['rm', ctr], { stdio: 'ignore' });
  }
}

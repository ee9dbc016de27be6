import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './test-stack.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bench ARGS` as a user would (a separate node process) and collects its output; `bin` is another
 * copy's bench script (an installed package), default this checkout's. `executable`: run the script
 * itself, as a shell finds `bench` on PATH (its launcher line adds the Node flags), not `node SCRIPT`.
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string; bin?: string; executable?: boolean } = {}): Promise<CliResult> {
  const script = options.bin ?? path.join(repoRoot, 'bin', 'bench.js');
  return new Promise((resolve, reject) => {
    const [file, argv] = options.executable ? [script, args] : [process.execPath, [script, ...args]];
    const child = spawn(file, argv, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A usage error as the CLI must print it: exit 2, exactly one line on stderr, no stack trace. */
export function expectOneLineUsageError(result: CliResult): string {
  const lines = result.stderr.trim().split('\n');
  if (result.code !== 2) throw new Error(`expected exit 2, got ${result.code}: ${result.stderr}`);
  if (lines.length !== 1) throw new Error(`expected one stderr line, got ${lines.length}:\n${result.stderr}`);
  if (/^\s+at /m.test(result.stderr)) throw new Error(`stack trace printed:\n${result.stderr}`);
  return lines[0]!;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { isAlive } from '../../stack/processes.js';
import { readState } from '../../stack/state.js';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { installPackedCopy, type InstalledCopy } from '../helpers/installed-package.js';
import { stackFlags } from '../helpers/test-stack.js';
import { hlogCounts, processesWithMark, readResult } from './run-helpers.js';

const stack = inject('stack');

/**
 * What a user who installs the tarball gets: `bench` from node_modules/.bin, run from a directory that
 * is neither the checkout nor the install, with no tsx anywhere on its path.
 */
describe('the packed tarball, installed into an empty directory', () => {
  let copy: InstalledCopy;
  let cwd: string;
  beforeAll(() => {
    copy = installPackedCopy();
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-user-cwd-'));
  }, 300_000);
  const bench = (args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) => runCli(args, { ...options, bin: copy.bin, cwd, executable: true });

  it('installs compiled JavaScript only: no TypeScript sources and no tsx', () => {
    const pkg = path.join(copy.dir, 'node_modules', 'temporal-bench');
    expect(fs.existsSync(path.join(pkg, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(fs.existsSync(path.join(pkg, 'dist', 'workflow-bundle.js'))).toBe(true);
    expect(fs.existsSync(path.join(pkg, 'cli'))).toBe(false);
    expect(fs.existsSync(path.join(copy.dir, 'node_modules', 'tsx'))).toBe(false);
  });

  it('bench --help and --version work from any directory', async () => {
    const help = await bench(['--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const command of ['stack', 'worker', 'run', 'report', 'capacity']) expect(help.stdout).toContain(`bench ${command}`);
    const version = await bench(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^temporal-bench \d+\.\d+\.\d+ \(/);
  });

  it('bad input exits 2 with one line and writes nothing', async () => {
    const line = expectOneLineUsageError(await bench(['run', '--address', stack.frontendAddress, '--rps', '-1']));
    expect(line).toMatch(/--rps/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('bench run --address --rps 5 --duration 10s: exit 0, result.json, .hlog and report.html, no process left', async () => {
    const mark = `installed-${process.pid}`;
    // What is tested is the installed copy, not this shared 2-core box's timer precision: at 5/s the lag
    // "p99" is the single worst of 50 starts, and one 36-ms hiccup (seen in CI) would make the run 98.
    const run = await bench(['run', '--address', stack.frontendAddress, '--rps', '5', '--duration', '10s', '--max-lag-ms', '250'], { timeoutMs: 240_000, env: { ...process.env, BENCH_TEST_MARK: mark } });
    expect(run.code, run.stderr).toBe(0);
    // No --out: results/<run-id>/ under the user's working directory.
    const [runId] = fs.readdirSync(path.join(cwd, 'results'));
    const out = path.join(cwd, 'results', runId!);
    const r = readResult(out);
    expect(r.status).toBe('completed');
    expect(r.summary.startedOk).toBe(50);
    expect(r.summary.reconciliation).toMatchObject({ completed: 50, unaccounted: 0 });
    expect(hlogCounts(path.join(out, r.hlogFile!)).e2e).toBe(50);
    expect(fs.statSync(path.join(out, 'report.html')).size).toBeGreaterThan(10_000);
    // The version recorded is the build's, not whatever repository the user's directory is in.
    const built = JSON.parse(fs.readFileSync(path.join(copy.dir, 'node_modules', 'temporal-bench', 'dist', 'build-info.json'), 'utf8')) as { version: string; gitSha: string };
    expect(r.environment).toMatchObject({ harnessVersion: built.version, gitSha: built.gitSha });
    // Run as `bench`, the launcher line gave Node the harness's runtime flags (bin/bench.js).
    expect(r.environment.nodeFlags).toEqual(['--no-memory-reducer']);
    expect(processesWithMark(mark)).toEqual([]);

    const report = await bench(['report', out]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(path.join(out, 'report.html'));
  }, 300_000);

  it('bench stack up / status / down from the installed copy', async () => {
    const { dir, flags } = stackFlags('installed', 11);
    const up = await bench(['stack', 'up', ...flags, '--persistence', 'sqlite', '--no-prometheus'], { timeoutMs: 300_000 });
    const pids = readState(dir)?.processes.map((p) => p.pid) ?? [];
    try {
      expect(up.code, up.stderr).toBe(0);
      const status = await bench(['stack', 'status', '--dir', dir, '--json']);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ persistence: 'sqlite' });
    } finally {
      const down = await bench(['stack', 'down', '--dir', dir]);
      expect(down.code, down.stderr).toBe(0);
    }
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  }, 360_000);
});

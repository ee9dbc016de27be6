import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistogramLogReader } from 'hdr-histogram-js';
import type { ResultFile } from '../../recorder/result-schema.js';
import { repoRoot } from '../helpers/test-stack.js';

/** A scratch directory for one test's outputs. */
export function scratch(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bench-run-${name}-`));
}

export function readResult(outDir: string): ResultFile {
  return JSON.parse(fs.readFileSync(path.join(outDir, 'result.json'), 'utf8')) as ResultFile;
}

/** Total count per tag of the histograms in an .hlog (read with the standard reader). */
export function hlogCounts(file: string): Record<string, number> {
  const reader = new HistogramLogReader(fs.readFileSync(file, 'utf8'));
  const counts: Record<string, number> = {};
  for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) counts[h.tag] = (counts[h.tag] ?? 0) + h.totalCount;
  return counts;
}

/** `bench run ...` as a child process, with its output collected. */
export function startBenchRun(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'bench.js'), 'run', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Polls `check` until it returns a value (condition-based waiting, bounded). */
export async function until<T>(what: string, check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The run's t0 (epoch ms), once its result.json exists (written before the first start). */
export function runT0(outDir: string, timeoutMs = 120_000): Promise<number> {
  return until(
    'the run to start (result.json)',
    () => {
      try {
        return Date.parse(readResult(outDir).startedAt);
      } catch {
        return undefined;
      }
    },
    timeoutMs,
  );
}

/** Pids of live processes whose environment carries `mark` (everything a run started inherits it). */
export function processesWithMark(mark: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`BENCH_TEST_MARK=${mark}`)) out.push(Number(entry));
    } catch {
      /* exited or not ours to read */
    }
  }
  return out;
}

/**
 * Benchmark (not a test): what starting the harness costs, compiled (dist/) vs the TypeScript sources
 * through tsx. For each: `bench --help` wall time and CPU; `bench worker --processes 1` from spawn to
 * every worker process polling (its first stdout line) and the CPU its process tree used until then;
 * `bench run --workers 0` from spawn to its first start (the run's t0) and the CPU until then.
 *
 *   npm run build && npm run bench:startup -- [--runs 5] [--address HOST:PORT]
 *
 * Without --address it starts a throwaway SQLite stack of its own on ports 27233+ and stops it after.
 * The tsx worker is measured twice: with its webpack bundle cached (a second start) and cold.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compiledIsCurrent } from '../bin/build-state.js';
import { reapedChildrenCpuSeconds, treeUsage } from '../metrics/process-tree.js';
import type { ResultFile } from '../recorder/result-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchBin = path.join(repoRoot, 'bin', 'bench.js');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '5' }, address: { type: 'string' } } });
const runs = Number(flags.runs);
if (!compiledIsCurrent(repoRoot)) throw new Error('dist/ is missing or stale: run `npm run build` first');

type Mode = { name: string; env: NodeJS.ProcessEnv };
const scratchCache = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-cache-'));
const compiled: Mode = { name: 'compiled (dist/)', env: {} };
const tsx: Mode = { name: 'tsx (sources)', env: { BENCH_FROM_SOURCE: '1' } };
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-cwd-'));

function launch(args: string[], env: NodeJS.ProcessEnv) {
  const started = performance.now();
  const child = spawn(process.execPath, [benchBin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, started, exited, stderr: () => stderr };
}

async function help(mode: Mode): Promise<{ wallS: number; cpuS: number }> {
  const before = reapedChildrenCpuSeconds();
  const p = launch(['--help'], mode.env);
  if ((await p.exited) !== 0) throw new Error(`bench --help failed: ${p.stderr()}`);
  return { wallS: (performance.now() - p.started) / 1000, cpuS: reapedChildrenCpuSeconds() - before };
}

async function worker(address: string, mode: Mode): Promise<{ wallS: number; cpuS: number }> {
  const p = launch(['worker', '--address', address, '--task-queue', `startup-${Date.now()}`, '--processes', '1', '--linger', '0s'], mode.env);
  const firstLine = new Promise<void>((resolve, reject) => {
    p.child.stdout.once('data', () => resolve());
    p.exited.then(() => reject(new Error(`bench worker exited before polling: ${p.stderr()}`)));
  });
  await firstLine;
  const result = { wallS: (performance.now() - p.started) / 1000, cpuS: treeUsage(p.child.pid!).cpuSeconds };
  p.child.kill('SIGINT');
  await p.exited;
  return result;
}

async function run(address: string, mode: Mode): Promise<{ wallS: number; cpuS: number }> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-run-')), 'out');
  const startedEpoch = Date.now();
  const p = launch(['run', '--address', address, '--rps', '5', '--duration', '2s', '--workers', '0', '--drain-timeout', '1s', '--out', out], mode.env);
  // CPU of the run's process tree sampled every 20 ms; the sample at its t0 is the start-up cost.
  const samples: { epoch: number; cpuS: number }[] = [];
  const sampler = setInterval(() => samples.push({ epoch: Date.now(), cpuS: treeUsage(p.child.pid!).cpuSeconds }), 20);
  await p.exited;
  clearInterval(sampler);
  const result = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as ResultFile;
  const t0 = Date.parse(result.startedAt);
  const at = samples.filter((s) => s.epoch <= t0).pop() ?? samples[0]!;
  return { wallS: (t0 - startedEpoch) / 1000, cpuS: at.cpuS };
}

async function withAddress<T>(fn: (address: string) => Promise<T>): Promise<T> {
  if (flags.address) return fn(flags.address);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-stack-'));
  const stackArgs = ['--dir', dir, '--port', '27233', '--internal-port-base', '27234', '--metrics-port', '28000', '--persistence', 'sqlite', '--no-prometheus'];
  const up = launch(['stack', 'up', ...stackArgs], {});
  if ((await up.exited) !== 0) throw new Error(`bench stack up failed: ${up.stderr()}`);
  try {
    return await fn('127.0.0.1:27233');
  } finally {
    await launch(['stack', 'down', '--dir', dir], {}).exited;
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(2)} / ${s[Math.floor(s.length / 2)]!.toFixed(2)} / ${s[s.length - 1]!.toFixed(2)}`;
};

async function measure(label: string, times: number, once: () => Promise<{ wallS: number; cpuS: number }>): Promise<string> {
  const got: { wallS: number; cpuS: number }[] = [];
  for (let i = 0; i < times; i++) got.push(await once());
  return `| ${label} | ${stats(got.map((g) => g.wallS))} | ${stats(got.map((g) => g.cpuS))} |`;
}

const rows: string[] = [];
rows.push(await measure(`bench --help, ${compiled.name}`, runs, () => help(compiled)));
rows.push(await measure(`bench --help, ${tsx.name}`, runs, () => help(tsx)));
await withAddress(async (address) => {
  rows.push(await measure(`bench worker to polling, ${compiled.name}, prebuilt bundle`, runs, () => worker(address, compiled)));
  const warm = { ...tsx, env: { ...tsx.env, BENCH_CACHE_DIR: scratchCache() } };
  await worker(address, warm); // fills this cache with the webpack bundle
  rows.push(await measure(`bench worker to polling, ${tsx.name}, bundle cached`, runs, () => worker(address, warm)));
  rows.push(await measure(`bench worker to polling, ${tsx.name}, bundle built at start`, runs, () => worker(address, { ...tsx, env: { ...tsx.env, BENCH_CACHE_DIR: scratchCache() } })));
  rows.push(await measure(`bench run to first start, ${compiled.name}`, runs, () => run(address, compiled)));
  rows.push(await measure(`bench run to first start, ${tsx.name}`, runs, () => run(address, tsx)));
});
process.stdout.write(['', `start-up cost, ${runs} runs each (min / median / max), ${os.cpus().length} cores`, '', '| what | wall s | CPU s |', '|---|---|---|', ...rows, ''].join('\n'));

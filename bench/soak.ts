/**
 * Benchmark (not a test): a 30-minute soak at a steady rate against a running Temporal, with the
 * workers in a separate `bench worker` process so both memories can be watched. Reports generator
 * and worker RSS at the start and end of the measured window and the drift analysis (5-min windows).
 *
 *   node --import tsx bench/soak.ts --address 127.0.0.1:7233 [--rps 100] [--duration 30m] [--window 300]
 *
 * Worker RSS is the sum over the `bench worker` supervisor and its child processes, read from /proc
 * every 5 s (Linux only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readProcStat, treeUsage } from '../metrics/process-tree.js';
import type { ResultFile } from '../recorder/result-schema.js';
import type { Sample } from '../soak/drift.js';
import { writeDrift } from '../soak/write.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bench = path.join(repoRoot, 'bin', 'bench.js');
const { values: flags } = parseArgs({
  options: {
    address: { type: 'string', default: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' },
    rps: { type: 'string', default: '100' },
    duration: { type: 'string', default: '30m' },
    window: { type: 'string', default: '300' },
    'stats-port': { type: 'string', default: '19400' },
  },
});

/** RSS in MB of one process (0 once it has exited). */
const processRssMb = (pid: number): number => readProcStat(pid)?.rssMb ?? 0;

/** RSS in MB of pid and all its descendants. */
const treeRssMb = (root: number): number => treeUsage(root).rssMb;

function start(args: string[]): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [bench, ...args], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, done: new Promise((resolve) => child.on('close', resolve)) };
}

async function untilHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`worker stats endpoint ${url} not healthy after ${timeoutMs} ms`);
}

const runId = `soak-bench-${Date.now().toString(36)}`;
const out = path.join(os.tmpdir(), runId);
const statsUrl = `http://127.0.0.1:${flags['stats-port']}`;
const worker = start(['worker', '--address', flags.address!, '--task-queue', `bench-${runId}`, '--processes', '1', '--stats-port', flags['stats-port']!, '--linger', '0s']);
await untilHealthy(`${statsUrl}/health`, 120_000);

const t0 = Date.now();
const workerRss: Sample[] = [];
const coordinatorRss: Sample[] = [];
const run = start(['run', '--address', flags.address!, '--run-id', runId, '--rps', flags.rps!, '--duration', flags.duration!, '--warmup', '1m', '--workers', '0', '--worker-stats', statsUrl, '--out', out]);
// The coordinator (the `bench run` process itself, without its generator children) holds the timeline.
const sampler = setInterval(() => {
  const t = (Date.now() - t0) / 1000;
  workerRss.push({ t, value: treeRssMb(worker.child.pid!) });
  coordinatorRss.push({ t, value: processRssMb(run.child.pid!) });
}, 5000);
const code = await run.done;
clearInterval(sampler);
worker.child.kill('SIGTERM');
await worker.done;

const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as ResultFile;
const steady = result.timeline.filter((i) => i.phase === 'steady');
// The sampler's clock starts just before `bench run`; the timeline's t0 is a little later: close enough for 5-min windows.
const inSteadyWindow = (samples: Sample[]) => samples.filter((s) => steady.length && s.t >= steady[0]!.t && s.t <= steady[steady.length - 1]!.t + 1);
const inSteady = inSteadyWindow(workerRss);
const coordinator = inSteadyWindow(coordinatorRss);
const { markdown } = writeDrift(out, { windowS: Number(flags.window) }, { workerRssMb: workerRss });
const mb = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(1)} MB`);
process.stdout.write(
  [
    ``,
    `soak ${runId}: exit ${code}, ${steady.length} steady seconds at ${flags.rps}/s, achieved ${result.summary.achievedRate.toFixed(1)}/s, results in ${out}`,
    `generator RSS: start ${mb(steady[0]?.generator.rssMb)}, end ${mb(steady[steady.length - 1]?.generator.rssMb)}`,
    `worker RSS:    start ${mb(inSteady[0]?.value)}, end ${mb(inSteady[inSteady.length - 1]?.value)}`,
    `coordinator RSS (bench run, without generators): start ${mb(coordinator[0]?.value)}, end ${mb(coordinator[coordinator.length - 1]?.value)}`,
    ``,
    markdown,
  ].join('\n'),
);

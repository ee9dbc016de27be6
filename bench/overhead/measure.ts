import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TreeSampler } from './tree-sampler.js';
import { visibleOutcome, type VisibleOutcome } from './visibility-e2e.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const benchBin = path.join(root, 'bin', 'bench.js');

/** bare: SDK-default worker and starter; bench: `bench worker` + `bench run --workers 0`; bench-run: `bench run` with its own worker. */
export type Side = 'bare' | 'bench' | 'bench-run';

export interface Load {
  address: string;
  namespace: string;
  kind: string;
  rate: number;
  durationS: number;
  client: 'connection' | 'native';
  /** Where `bench run` writes its results (one subdirectory per run). */
  outDir: string;
}

export interface Measurement extends VisibleOutcome {
  side: Side;
  kind: string;
  rate: number;
  starts: number;
  /** CPU-seconds of the worker tree from t0 to the last close, per closed workflow (ms). */
  workerCpuPerWorkflowMs: number | null;
  /** CPU-seconds of the starter (coordinator + generators) tree during the load, per start (ms). */
  starterCpuPerStartMs: number;
  workerRssMb: number | null;
  starterRssMb: number;
  /** bench run's exit code (0 ok, 98 invalid) and its own e2e p50; null for the bare side. */
  benchExit: number | null;
  benchE2eP50Ms: number | null;
}

/** The bare side's scripts run under `node`; `bench` runs as a user runs it, as its own executable (its launcher's Node flags). */
function spawnSide(args: string[]): ChildProcess {
  const [command, argv] = args[0] === benchBin ? [benchBin, args.slice(1)] : [process.execPath, args];
  return spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

function lines(child: ChildProcess, onLine: (line: string) => void): void {
  createInterface({ input: child.stdout! }).on('line', onLine);
}

function waitForLine(child: ChildProcess, match: (line: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    lines(child, (l) => match(l) && resolve(l));
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c ?? 1))));

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited(child);
}

/** Starts the side's worker (none for bench-run); resolves when it polls, with its stats URL for bench. */
async function startWorker(side: Side, load: Load, taskQueue: string, log: fs.WriteStream): Promise<{ child?: ChildProcess; statsUrl?: string }> {
  if (side === 'bench-run') return {};
  const args =
    side === 'bare'
      ? [path.join(root, 'bench/overhead/bare-worker.mjs'), '--address', load.address, '--namespace', load.namespace, '--task-queue', taskQueue]
      : [benchBin, 'worker', '--address', load.address, '--namespace', load.namespace, '--task-queue', taskQueue, '--processes', '1'];
  const child = spawnSide(args);
  child.stderr!.pipe(log, { end: false });
  const ready = await waitForLine(child, (l) => l === 'ready' || l.startsWith('{"statsUrl"'), `${side} worker`);
  return { child, statsUrl: side === 'bench' ? (JSON.parse(ready) as { statsUrl: string }).statsUrl : undefined };
}

function starterArgs(side: Side, load: Load, runId: string, taskQueue: string, t0: number, statsUrl: string | undefined, config: string): string[] {
  if (side === 'bare') {
    return [
      path.join(root, 'bench/overhead/bare-starter.mjs'),
      '--address',
      load.address,
      '--namespace',
      load.namespace,
      '--task-queue',
      taskQueue,
      '--kind',
      load.kind,
      '--rps',
      String(load.rate),
      '--duration',
      String(load.durationS),
      '--t0',
      String(t0),
      '--client',
      load.client,
      '--id-prefix',
      runId,
    ];
  }
  const workers = side === 'bench' ? ['--workers', '0', '--worker-stats', statsUrl!] : [];
  return [
    benchBin,
    'run',
    '--address',
    load.address,
    '--namespace',
    load.namespace,
    '--run-id',
    runId,
    '--config',
    config,
    '--rps',
    String(load.rate),
    '--duration',
    `${load.durationS}s`,
    '--start-at',
    String(t0),
    '--client',
    load.client,
    '--out',
    path.join(load.outDir, runId),
    ...workers,
  ];
}

/** One side at one rate and kind: worker, then the starter at a shared t0, then the visibility read. */
export async function measure(side: Side, load: Load, log: fs.WriteStream, trees: TreeSampler): Promise<Measurement> {
  const runId = `ovh-${side}-${load.kind}-${load.rate}-${Date.now().toString(36)}`;
  const taskQueue = `bench-${runId}`;
  const config = path.join(os.tmpdir(), `${runId}.json`);
  fs.writeFileSync(config, JSON.stringify({ extends: 'baseline', mix: [{ kind: load.kind }] }));
  const worker = await startWorker(side, load, taskQueue, log);
  const workerPid = worker.child?.pid;
  if (workerPid) trees.watch(workerPid);
  // bench run is ready to send about 2.5 s after spawn; 6 s leaves room on a busy host.
  const t0 = Date.now() + 6000;
  const starter = spawnSide(starterArgs(side, load, runId, taskQueue, t0, worker.statsUrl, config));
  starter.stderr!.pipe(log, { end: false });
  trees.watch(starter.pid!);
  let bareReport: { starts: number; errors: number; firstError?: string } | undefined;
  const loadEnd = t0 + load.durationS * 1000 + 1000;
  // The bare starter prints its tally once every start has answered, then idles until stopped.
  const answered = new Promise<number>((r) =>
    lines(starter, (l) => {
      if (!l.startsWith('{"starts"')) return;
      bareReport = JSON.parse(l);
      r(0);
    }),
  );
  const starterExit = await Promise.race([exited(starter), answered, new Promise<number>((r) => setTimeout(() => r(-1), loadEnd + 5000 - Date.now()))]);
  const benchExit = side === 'bare' ? null : starterExit === -1 ? await exited(starter) : starterExit;
  // One sample past the window's end before the starter may go.
  await new Promise((r) => setTimeout(r, Math.max(0, loadEnd + 1100 - Date.now())));
  trees.unwatch(starter.pid!);
  const starts = Math.round(load.rate * load.durationS);
  if (bareReport?.errors) log.write(`bare starter: ${bareReport.errors} errors, first: ${bareReport.firstError}\n`);
  const outcome = await visibleOutcome(load.address, load.namespace, taskQueue, starts - (bareReport?.errors ?? 0));
  // The worker's window ends with the last workflow's close (plus a sample period for the tree to show it).
  await new Promise((r) => setTimeout(r, Math.max(0, outcome.lastCloseMs + 1100 - Date.now())));
  if (workerPid) trees.unwatch(workerPid);
  if (worker.child) await stop(worker.child);
  await stop(starter);
  fs.rmSync(config, { force: true });
  const workerEnd = Math.max(outcome.lastCloseMs + 100, loadEnd);
  return {
    side,
    kind: load.kind,
    rate: load.rate,
    starts,
    ...outcome,
    workerCpuPerWorkflowMs: workerPid && outcome.closed ? (trees.cpuBetween(workerPid, t0, workerEnd) / outcome.closed) * 1000 : null,
    starterCpuPerStartMs: (trees.cpuBetween(starter.pid!, t0, loadEnd) / starts) * 1000,
    workerRssMb: workerPid ? trees.peakRssMb(workerPid, t0, workerEnd) : null,
    starterRssMb: trees.peakRssMb(starter.pid!, t0, loadEnd),
    benchExit,
    benchE2eP50Ms: side === 'bare' ? null : benchSelfE2eP50(path.join(load.outDir, runId)),
  };
}

/** bench run's own end-to-end p50 from its result.json (what the harness reports), for comparison. */
function benchSelfE2eP50(dir: string): number | null {
  try {
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as { summary?: { latencyMs?: Record<string, { p50?: number }> } };
    return result.summary?.latencyMs?.e2e?.p50 ?? null;
  } catch {
    return null;
  }
}

/**
 * Benchmark (not a test) of what the harness itself costs: the same fixed-rate load through
 * (a) a bare SDK worker + bare starter (bench/overhead/bare-*.ts) and (b) `bench worker` +
 * `bench run --workers 0 --worker-stats`, one after the other against one local PostgreSQL stack,
 * and (c) `bench run --rps 15` with its own worker beside a bare run at 15/s (is it valid, e2e p50).
 *
 *   npm run bench:overhead -- [--address HOST:PORT] [--rates 10,20] [--duration 60] [--kinds activity,program]
 *                             [--client connection|native] [--valid-rate 15] [--repeat 1] [--out bench-results/overhead.json]
 *
 * CPU is read from /proc for each process tree; e2e from the server's own start and close times
 * (visibility), the same yardstick for both sides. Ratios are bench ÷ bare, the worst over the rates;
 * with --repeat N, of each side's median over N interleaved pairs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../compare/stats/random.js';
import { measure, type Load, type Measurement, type Side } from './overhead/measure.js';
import { TreeSampler } from './overhead/tree-sampler.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const rates = arg('rates', '10,20').split(',').map(Number);
const kinds = arg('kinds', 'activity,program').split(',');
const durationS = Number(arg('duration', '60'));
const validRate = Number(arg('valid-rate', '15'));
const client = arg('client', 'native') as Load['client'];
/** Pairs per kind and rate; ratios use each side's median (one 60-s run per side moved the starter's ratio by ±15%). */
const repeat = Math.max(1, Number(arg('repeat', '1')));
const outFile = path.resolve(arg('out', path.join(root, 'bench-results', 'overhead.json')));
const namespace = 'bench';

/** Without --address: a throwaway local PostgreSQL stack (512 shards, like production) on its own ports. */
function startStack(): { address: string; down: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-overhead-stack-'));
  const bench = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'bench.js'), 'stack', ...args, '--dir', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const up = bench('up', '--port', '27700', '--internal-port-base', '27701', '--metrics-port', '27720', '--prometheus-port', '27730');
  if (up.status !== 0) throw new Error(`bench stack up failed (${up.status})`);
  return { address: '127.0.0.1:27700', down: () => void bench('down') };
}

const ms = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(1));
function printRow(m: Measurement): void {
  const valid = m.benchExit === null ? '' : m.benchExit === 0 ? 'ok' : `exit ${m.benchExit}`;
  console.log(
    [
      m.side.padEnd(9),
      m.kind.padEnd(8),
      String(m.rate).padStart(4),
      `${m.closed}/${m.starts}`.padStart(9),
      ms(m.workerCpuPerWorkflowMs).padStart(8),
      ms(m.starterCpuPerStartMs).padStart(8),
      ms(m.workerRssMb).padStart(7),
      ms(m.starterRssMb).padStart(7),
      ms(m.e2eP50Ms).padStart(8),
      ms(m.e2eP99Ms).padStart(8),
      ms(m.benchE2eP50Ms).padStart(8),
      valid,
    ].join('  '),
  );
}

/** bench ÷ bare for one figure, the worst (highest) over the given pairs. */
function worstRatio(pairs: [Measurement, Measurement][], pick: (m: Measurement) => number | null): number | null {
  const ratios = pairs.map(([bare, bench]) => (pick(bare) && pick(bench) !== null ? pick(bench)! / pick(bare)! : NaN)).filter(Number.isFinite);
  return ratios.length ? Math.round(Math.max(...ratios) * 1000) / 1000 : null;
}

/** The median of the figures a side measured (compare's), null when none did. */
const medianOrNull = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? median(v) : null;
};

/** One side's repeats as one measurement: every figure the ratios and the table read is the median. */
function medianOf(ms: Measurement[]): Measurement {
  const m = (pick: (x: Measurement) => number | null) => medianOrNull(ms.map(pick));
  // Always numbers on a measured side (each repeat has them), so the median of them is one too.
  const n = (pick: (x: Measurement) => number) => m(pick)!;
  return {
    ...ms[0]!,
    workerCpuPerWorkflowMs: m((x) => x.workerCpuPerWorkflowMs),
    starterCpuPerStartMs: n((x) => x.starterCpuPerStartMs),
    workerRssMb: m((x) => x.workerRssMb),
    starterRssMb: n((x) => x.starterRssMb),
    e2eP50Ms: n((x) => x.e2eP50Ms),
    e2eP99Ms: n((x) => x.e2eP99Ms),
    benchE2eP50Ms: m((x) => x.benchE2eP50Ms),
  };
}

const ratiosOf = (pairs: [Measurement, Measurement][]) => ({
  workerCpuPerWorkflow: worstRatio(pairs, (m) => m.workerCpuPerWorkflowMs),
  starterCpuPerStart: worstRatio(pairs, (m) => m.starterCpuPerStartMs),
  e2eP50: worstRatio(pairs, (m) => m.e2eP50Ms),
});

const stack = arg('address', '') ? undefined : startStack();
const address = arg('address', '') || stack!.address;
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-overhead-runs-'));
const log = fs.createWriteStream(path.join(outDir, 'processes.log'));
const load = (kind: string, rate: number): Load => ({ address, namespace, kind, rate, durationS, client, outDir });
console.log(`overhead: ${address}, ${durationS} s per load, client ${client}, logs in ${outDir}`);
console.log('side       kind      rate     closed  wCPU/wf  sCPU/st  wRSS MB  sRSS MB  e2e p50  e2e p99  self p50  bench');
const pairs: [Measurement, Measurement][] = [];
const all: Measurement[] = [];
const trees = new TreeSampler();
const run = async (side: Side, l: Load) => {
  const m = await measure(side, l, log, trees);
  printRow(m);
  all.push(m);
  return m;
};
try {
  for (const kind of kinds) {
    for (const rate of rates) {
      const bySide: Record<'bare' | 'bench', Measurement[]> = { bare: [], bench: [] };
      for (let i = 0; i < repeat; i++) {
        // Alternate which side goes first, so that a host drifting over the runs favours neither.
        for (const side of i % 2 ? (['bench', 'bare'] as const) : (['bare', 'bench'] as const)) bySide[side].push(await run(side, load(kind, rate)));
      }
      const pair: [Measurement, Measurement] = [medianOf(bySide.bare), medianOf(bySide.bench)];
      if (repeat > 1) {
        console.log(`median of ${repeat}:`);
        pair.forEach(printRow);
      }
      pairs.push(pair);
    }
  }
  const allInOne = validRate > 0 ? [await run('bare', load('activity', validRate)), await run('bench-run', load('activity', validRate))] : undefined;
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  })();
  const report = {
    date: new Date().toISOString(),
    commit,
    host: { cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    config: { address, durationS, rates, kinds, client, validRate, repeat },
    ratios: ratiosOf(pairs),
    ratiosByKind: Object.fromEntries(kinds.map((k) => [k, ratiosOf(pairs.filter(([b]) => b.kind === k))])),
    starterCpuPerStartAtTopRate: worstRatio(
      pairs.filter(([b]) => b.rate === Math.max(...rates)),
      (m) => m.starterCpuPerStartMs,
    ),
    allInOne: allInOne && { valid: allInOne[1]!.benchExit === 0, e2eP50Ratio: worstRatio([allInOne as [Measurement, Measurement]], (m) => m.e2eP50Ms) },
    /** Every run; with repeat > 1 the ratios come from each side's medians. */
    measurements: all,
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`ratios (bench ÷ bare, worst over rates): ${JSON.stringify(report.ratios)}; at ${Math.max(...rates)}/s starter ${report.starterCpuPerStartAtTopRate}`);
  if (report.allInOne) console.log(`bench run --rps ${validRate}: ${report.allInOne.valid ? 'valid' : 'INVALID'}, e2e p50 ${report.allInOne.e2eP50Ratio}× the bare setup's`);
  console.log(`written ${outFile}`);
} finally {
  trees.stop();
  log.end();
  stack?.down();
}

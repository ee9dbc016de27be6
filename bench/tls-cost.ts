/**
 * Benchmark (not a test) of what TLS costs: the same fixed-rate scenario against the same local
 * PostgreSQL stack, restarted plaintext, with server TLS and with mutual TLS, one after the other;
 * prints start and e2e latency, CPU per start of the generator (coordinator + generators), CPU per
 * workflow of the worker and of the server, and `bench compare`'s verdicts of each TLS mode against
 * plaintext. The ops page asks whether mTLS is worth its cost; this is the local half of the answer.
 *
 *   npm run bench:tls-cost -- [--rps 20] [--duration 60] [--client connection|native] [--out bench-results/tls-cost]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResourceKind } from '../recorder/resource-schema.js';
import type { ResultFile } from '../recorder/result-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const rps = arg('rps', '20');
const durationS = arg('duration', '60');
const client = arg('client', 'native');
const outDir = path.resolve(arg('out', path.join(root, 'bench-results', `tls-cost-${new Date().toISOString().replace(/[:.]/g, '-')}`)));
const modes = ['off', 'server', 'mtls'] as const;
const stackDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tls-cost-stack-'));
// Its own ports and databases: a user's default stack (port 7233, database temporal) is left alone.
const ports = ['--port', '27800', '--internal-port-base', '27801', '--metrics-port', '27820', '--prometheus-port', '27830', '--postgres-url', 'postgres://postgres@127.0.0.1:5432/bench_tls_cost'];

function bench(args: string[], quiet = true): number {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'bench.js'), ...args], { cwd: root, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  return r.status ?? 1;
}

/** CPU-seconds of one kind of component over the whole run (cores × sample length, summed). */
function cpuSeconds(result: ResultFile, kinds: ResourceKind[]): number | null {
  const r = result.resources;
  if (!r) return null;
  let total = 0;
  for (const c of r.components.filter((c) => kinds.includes(c.kind))) {
    c.cpuCores.forEach((cores, i) => (total += (cores ?? 0) * (i === 0 ? 1 : r.t[i]! - r.t[i - 1]!)));
  }
  return total;
}

const perMs = (seconds: number | null, n: number) => (seconds === null || n === 0 ? null : Math.round((seconds / n) * 1e6) / 1e3);
const f = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(2));

interface Row {
  mode: (typeof modes)[number];
  exit: number;
  startP50: number | null;
  startP99: number | null;
  e2eP50: number | null;
  e2eP99: number | null;
  generatorCpuPerStartMs: number | null;
  workerCpuPerWorkflowMs: number | null;
  serverCpuPerWorkflowMs: number | null;
}

const rows: Row[] = [];
fs.mkdirSync(outDir, { recursive: true });
console.log(`tls-cost: ${rps}/s for ${durationS} s per mode, client ${client}, results in ${outDir}`);
try {
  for (const mode of modes) {
    if (bench(['stack', 'up', '--dir', stackDir, ...ports, '--tls', mode]) !== 0) throw new Error(`bench stack up --tls ${mode} failed`);
    const out = path.join(outDir, mode);
    // The run finds the stack from its address and uses its certificates, as a user's run does.
    const exit = bench(['run', '--address', '127.0.0.1:27800', '--stack-dir', stackDir, '--rps', rps, '--duration', `${durationS}s`, '--client', client, '--out', out]);
    bench(['stack', 'down', '--dir', stackDir]);
    const result = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as ResultFile;
    const s = result.summary;
    const done = s.reconciliation?.completed ?? 0;
    rows.push({
      mode,
      exit,
      startP50: s.latencyMs.start?.p50 ?? null,
      startP99: s.latencyMs.start?.p99 ?? null,
      e2eP50: s.latencyMs.e2e?.p50 ?? null,
      e2eP99: s.latencyMs.e2e?.p99 ?? null,
      generatorCpuPerStartMs: perMs(cpuSeconds(result, ['generator', 'coordinator']), s.startedOk),
      workerCpuPerWorkflowMs: perMs(cpuSeconds(result, ['worker']), done),
      serverCpuPerWorkflowMs: perMs(cpuSeconds(result, ['temporal']), done),
    });
  }
} finally {
  bench(['stack', 'down', '--dir', stackDir, '--wipe']);
  fs.rmSync(stackDir, { recursive: true, force: true });
}

console.log('\nmode     start p50/p99 ms   e2e p50/p99 ms   gen CPU/start ms  worker CPU/wf ms  server CPU/wf ms  run exit');
for (const r of rows) {
  console.log(
    [
      r.mode.padEnd(7),
      `${f(r.startP50)}/${f(r.startP99)}`.padStart(16),
      `${f(r.e2eP50)}/${f(r.e2eP99)}`.padStart(16),
      f(r.generatorCpuPerStartMs).padStart(17),
      f(r.workerCpuPerWorkflowMs).padStart(17),
      f(r.serverCpuPerWorkflowMs).padStart(17),
      String(r.exit).padStart(9),
    ].join('  '),
  );
}
fs.writeFileSync(path.join(outDir, 'tls-cost.json'), `${JSON.stringify({ date: new Date().toISOString(), host: { cores: os.cpus().length }, rps: Number(rps), durationS: Number(durationS), client, rows }, null, 2)}\n`);
for (const mode of ['server', 'mtls']) {
  console.log(`\nbench compare off ${mode}:`);
  bench(['compare', path.join(outDir, 'off'), path.join(outDir, mode)], false);
}
console.log(`\nwritten ${path.join(outDir, 'tls-cost.json')}`);

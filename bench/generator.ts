/**
 * Benchmark (not a test) of the load generator against a do-nothing frontend stub: how many starts
 * per CPU-second a generator process sustains (1 and 2 processes), and how accurately it holds
 * 500/s and 2000/s (rate error, scheduling-lag p99), with the @temporalio/client Connection and the
 * Rust-core NativeConnection. Targets at 2000/s: error ≤ 0.5 %, lag p99 ≤ 2 × the host timer floor + 1 ms, RSS ≤ 200 MB and flat (run --duration 600 for that).
 *
 *   npx tsx bench/generator.ts [--duration 10] [--warmup 1] [--rates 500,2000] [--clients connection,native] [--two-processes no]
 *
 * The stub (bench/frontend-stub/: Go, or Node without Go) stands in for a remote frontend, so it runs
 * in its own process at a lower CPU priority (nice 10): on a 2-core host it would otherwise take the
 * generator's core when a timer fires.
 * As in `bench run`, a warm-up window (JIT, connection set-up) is left out of the figures. The
 * host's timer floor (a bare Node timer loop) is printed too: no generator's lag beats it.
 */
import { startGenerators } from '../generator/generator-pool.js';
import { profileOf } from '../schedule/schedule.js';
import type { ClientKind } from '../generator/start-client.js';
import { latencyStats, Timeline } from '../recorder/timeline.js';
import { catalogResolver, resolveMix } from '../schedule/workload.js';
import { spawnFrontendStub } from './frontend-stub/spawn.js';
import { timerFloorP99Ms } from './timer-floor.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const durationS = Number(arg('duration', '10'));
const warmupS = Number(arg('warmup', '1'));
const rates = arg('rates', '500,2000').split(',').map(Number);
const clients = arg('clients', 'connection,native').split(',') as ClientKind[];
const twoProcesses = arg('two-processes', 'yes') !== 'no';
const peakRate = Math.max(...rates);

interface Figures {
  client: ClientKind;
  processes: number;
  rate: number;
  target: number;
  sent: number;
  sentInWindow: number;
  acked: number;
  rateErrorPct: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  startServiceP99Ms: number;
  loopDelayP99MaxMs: number;
  cpuSeconds: number;
  startsPerCpuSecond: number;
  /** Generator RSS (MB, the biggest process): first steady second, last, the peak, and its trend after the first minute. */
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  rssSlopeMbPerMin: number;
}

/** Least-squares slope of y over x (per unit of x); 0 for fewer than two points. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx ? points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx : 0;
}

async function measure(address: string, client: ClientKind, processes: number, rate: number): Promise<Figures> {
  const executor = { executor: 'constant-arrival-rate' as const, rate, timeUnit: '1s', duration: `${warmupS + durationS}s` };
  const profile = profileOf(executor);
  let timeline: Timeline | undefined;
  const pool = await startGenerators({
    count: processes,
    connection: { address, namespace: 'bench' },
    taskQueue: 'bench-stub',
    clientKind: client,
    onSnapshot: (g, s) => timeline!.addSnapshot(g, s),
  });
  const t0Epoch = performance.timeOrigin + performance.now() + 500;
  timeline = new Timeline(t0Epoch, processes, profile, profile.durationS, warmupS, 0);
  const runId = `stub-${client}-${processes}-${rate}`;
  pool.start((shard) => ({
    runId,
    shard,
    shards: processes,
    t0Epoch,
    executor,
    mix: resolveMix([{ kind: 'noop' }], catalogResolver),
    executionTimeoutMs: 60_000,
    inFlightCap: 100_000,
    overflow: 'drop',
  }));
  await pool.loadFinished;
  const { cpuSeconds } = await pool.finish(10_000);
  const totals = timeline.totals(['steady', 'cooldown', 'drain']);
  const target = Math.round(rate * durationS);
  const lag = latencyStats(totals.histograms.get('schedulingLag')!);
  const service = latencyStats(totals.histograms.get('startService')!);
  // Sent and acked count every start of the load, warm-up included (as does the CPU time).
  const all = timeline.totals(['warmup', 'steady', 'cooldown', 'drain'], false).counts;
  const sent = all.sent ?? 0;
  const records = timeline.records().filter((r) => r.phase === 'steady');
  // Rate error: starts sent within the schedule's window against the target (late starts count against it).
  const sentInWindow = records.reduce((n, r) => n + r.sent, 0);
  return {
    client,
    processes,
    rate,
    target,
    sent,
    sentInWindow,
    acked: all.started ?? 0,
    rateErrorPct: Math.round((Math.abs(sentInWindow - target) / target) * 10000) / 100,
    lagP50Ms: lag.p50,
    lagP99Ms: lag.p99,
    lagMaxMs: lag.max,
    startServiceP99Ms: service.p99,
    loopDelayP99MaxMs: Math.max(...records.map((r) => r.generator.eventLoopDelayP99Ms)),
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    startsPerCpuSecond: Math.round(sent / cpuSeconds),
    rssStartMb: Math.round(records[0]?.generator.rssMb ?? 0),
    rssEndMb: Math.round(records.at(-1)?.generator.rssMb ?? 0),
    rssMaxMb: Math.round(Math.max(...records.map((r) => r.generator.rssMb))),
    // After the first minute (JIT, heap sizing): a leak shows as a steady climb.
    rssSlopeMbPerMin: Math.round(slope(records.filter((r) => r.t >= warmupS + 60 || durationS < 120).map((r) => [r.t / 60, r.generator.rssMb])) * 100) / 100,
  };
}

// Before and after the runs: a floor read while something else loads the host sets a lax target; the lower is the host's.
const floorBefore = await timerFloorP99Ms(peakRate, 5);
const stub = await spawnFrontendStub();
console.log(`frontend stub: ${stub.kind} at ${stub.address}`);
const results: Figures[] = [];
try {
  for (const client of clients) {
    for (const rate of rates) results.push(await measure(stub.address, client, 1, rate));
    if (twoProcesses) results.push(await measure(stub.address, client, 2, peakRate));
  }
} finally {
  await stub.close();
}
const floorAfter = await timerFloorP99Ms(peakRate, 5);
const floorP99 = Math.min(floorBefore, floorAfter);
console.table(results);
console.log(`host timer floor at ${peakRate}/s: lag p99 ${floorBefore} ms before the runs, ${floorAfter} ms after; the lower counts`);
const at2000 = results.filter((r) => r.rate === 2000 && r.processes === 1);
const lagTarget = Math.round((2 * floorP99 + 1) * 1000) / 1000;
for (const r of at2000) {
  const ok = r.rateErrorPct <= 0.5 && r.lagP99Ms <= lagTarget;
  console.log(`${r.client} @2000/s: rate error ${r.rateErrorPct}% (target ≤ 0.5%), lag p99 ${r.lagP99Ms} ms (target ≤ 2 × floor + 1 ms = ${lagTarget} ms): ${ok ? 'MET' : 'NOT MET'}`);
  const flat = r.rssMaxMb <= 200 && (durationS < 300 || Math.abs(r.rssSlopeMbPerMin) <= 1);
  console.log(
    `${r.client} @2000/s: generator RSS ${r.rssStartMb} → ${r.rssEndMb} MB (peak ${r.rssMaxMb}, ${r.rssSlopeMbPerMin} MB/min after the first minute; target ≤ 200 MB and flat, ≤ 1 MB/min over ≥ 5 min): ${durationS < 300 ? 'too short to judge flatness' : flat ? 'MET' : 'NOT MET'}`,
  );
}
process.exit(0);

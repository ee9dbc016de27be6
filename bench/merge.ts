/**
 * Benchmark (not a test): `bench merge` of 16 segments of one hour at 125 starts/s each (2,000/s in
 * all), as a Kubernetes Indexed Job of 16 pods would leave them. Prints wall time and peak RSS of the
 * merge process (files alone: --no-reconcile, no cluster involved).
 *
 *   npm run bench:merge -- [--segments 16] [--hours 1] [--rate 125]
 *
 * One synthetic segment (result.json + .hlog with start, service, lag and e2e histograms per second)
 * is generated once and cached in bench-results/merge-fixture/; the others are copies with their own
 * index, so the merge reads and decodes every segment's files for real.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeHistogram, newHistogram, recordMs } from '../metrics/histogram.js';
import { HlogFile } from '../recorder/hlog.js';
import { RESULT_SCHEMA_VERSION, type IntervalRecord, type ResultFile } from '../recorder/result-schema.js';
import { latencyStats } from '../recorder/timeline.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { segments: { type: 'string', default: '16' }, hours: { type: 'string', default: '1' }, rate: { type: 'string', default: '125' } } });
const count = Number(flags.segments);
const seconds = Math.round(Number(flags.hours) * 3600);
const rate = Number(flags.rate);
const fixture = path.join(repoRoot, 'bench-results', 'merge-fixture', `${count}x${seconds}s-${rate}`);
const runId = 'merge-bench';
const t0 = Date.UTC(2026, 11, 1, 2, 0, 0);

function makeSegment(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const hlog = new HlogFile(dir, runId, t0, 3600);
  const timeline: IntervalRecord[] = [];
  const steady = new Map<string, ReturnType<typeof newHistogram>>();
  let x = 1;
  const noise = () => (x = (x * 48271) % 2147483647) / 2147483647;
  for (let t = 0; t < seconds; t++) {
    const metrics: Record<string, ReturnType<typeof newHistogram>> = {};
    for (const [key, base] of [
      ['start', 12],
      ['startService', 10],
      ['schedulingLag', 0.4],
      ['e2e', 80],
      ['start{kind:activity}', 12],
    ] as const) {
      const h = newHistogram();
      for (let i = 0; i < rate; i++) recordMs(h, base * (0.5 + noise() * (noise() < 0.01 ? 20 : 1)));
      hlog.write(key, h, t0 + t * 1000, t0 + (t + 1) * 1000);
      metrics[key] = h;
      const s = steady.get(key) ?? newHistogram();
      s.add(h);
      steady.set(key, s);
    }
    if (t % 60 === 59) hlog.flush();
    timeline.push({
      t,
      durationS: 1,
      phase: 'steady',
      target: rate,
      sent: rate,
      started: rate,
      completed: rate,
      failed: 0,
      finished: rate,
      dropped: 0,
      errors: {},
      inFlight: 2,
      latencyMs: { start: latencyStats(metrics.start!), e2e: latencyStats(metrics.e2e!) },
      generator: { eventLoopDelayP99Ms: 1, cpuPercent: 10, rssMb: 100 },
    });
  }
  hlog.flush();
  const total = rate * seconds;
  const result: ResultFile = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    runId,
    status: 'completed',
    startedAt: new Date(t0).toISOString(),
    endedAt: new Date(t0 + seconds * 1000).toISOString(),
    window: { start: new Date(t0).toISOString(), end: new Date(t0 + seconds * 1000).toISOString() },
    scenario: {
      name: 'steady',
      description: 'merge benchmark',
      config: {
        name: 'steady',
        description: '',
        executor: { executor: 'constant-arrival-rate', rate: rate * count, timeUnit: '1s', duration: `${seconds}s`, preAllocatedVUs: 1000 },
        mix: [{ kind: 'activity', weight: 1 }],
        thresholds: { start_latency: ['p(99)<500'] },
      },
    },
    environment: {
      address: '127.0.0.1:7233',
      namespace: 'bench',
      taskQueue: `bench-${runId}`,
      serverVersion: '1.24.2',
      historyShardCount: 512,
      harnessVersion: '0',
      gitSha: 'x',
      nodeVersion: process.version,
      generatorHost: 'pod',
      generators: 1,
      embeddedStack: false,
    },
    timeline,
    summary: {
      targetRate: rate,
      achievedRate: rate,
      targetStarts: total,
      sentStarts: total,
      startedOk: total,
      dropped: 0,
      errors: 0,
      errorsByCode: {},
      completed: total,
      failed: 0,
      latencyMs: Object.fromEntries([...steady].map(([k, h]) => [k, latencyStats(h)])),
      reconciliation: null,
      thresholds: [],
      valid: true,
      invalidReasons: [],
      loadDurationS: seconds,
      steadyDurationS: seconds,
      outcomesByPhase: { steady: { outcomes: total, afterPhaseEnd: 0, censored: 0 } },
      steady: { counts: { sent: total, started: total, calls: total, outcomes: total }, completed: total, failed: 0, canceled: 0, durationS: seconds, targets: total },
    },
    hlogFile: hlog.files[0],
    hlogFiles: [...hlog.files],
    histograms: Object.fromEntries([...steady].map(([k, h]) => [k, encodeHistogram(h)])),
    segment: { index: 0, count, host: 'pod-0', startAt: new Date(t0).toISOString(), readyAfterT0Ms: -5000, late: false },
  };
  fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result));
}

if (!fs.existsSync(path.join(fixture, `s${count - 1}`, 'result.json'))) {
  const started = Date.now();
  makeSegment(path.join(fixture, 's0'));
  const template = JSON.parse(fs.readFileSync(path.join(fixture, 's0', 'result.json'), 'utf8')) as ResultFile;
  for (let i = 1; i < count; i++) {
    const dir = path.join(fixture, `s${i}`);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of template.hlogFiles!) fs.copyFileSync(path.join(fixture, 's0', f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ ...template, segment: { ...template.segment!, index: i, host: `pod-${i}` } }));
  }
  process.stdout.write(`generated ${count} segments of ${seconds} s at ${rate}/s in ${((Date.now() - started) / 1000).toFixed(1)} s: ${fixture}\n`);
}

const out = path.join(fixture, 'merged');
fs.rmSync(out, { recursive: true, force: true });
const dirs = Array.from({ length: count }, (_, i) => path.join(fixture, `s${i}`));
// The merge as a user runs it, in its own process: /usr/bin/time reports its wall time and peak RSS.
const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, path.join(repoRoot, 'bin', 'bench.js'), 'merge', ...dirs, '--out', out, '--no-reconcile'], { encoding: 'utf8' });
const [wall, rssKb] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
if (run.status !== 0 && run.status !== 99) throw new Error(`bench merge failed (${run.status}): ${run.stderr.slice(-500)}`);
const merged = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as ResultFile;
process.stdout.write(
  [
    `bench merge of ${count} segments x ${seconds} s at ${rate}/s (${merged.summary.startedOk.toLocaleString('en')} starts, ${merged.timeline.length} seconds)`,
    `wall ${wall!.toFixed(2)} s (target <= 10 s), peak RSS ${(rssKb! / 1024).toFixed(0)} MB (target <= 500 MB), merged start p99 ${merged.summary.latencyMs.start?.p99} ms`,
    '',
  ].join('\n'),
);

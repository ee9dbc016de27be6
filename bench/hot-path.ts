/**
 * Micro-benchmark (not a test) of the per-workflow hot path of end-to-end latency: one completion
 * recorded by a worker process's sink (E2ERecorder), its 1-s bucket encoded and merged by the
 * supervisor (E2EStore), served as JSON (the stats endpoint), and read by the coordinator into the
 * run's timeline and .hlog (Timeline.addE2E, HlogFile). Prints the cost per completion at a few
 * completion rates on a simulated clock, so a change that doubles it shows.
 *
 *   npm run bench:hot-path -- [--seconds 120] [--rates 20,200,2000] [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HlogFile } from '../recorder/hlog.js';
import { Timeline } from '../recorder/timeline.js';
import { E2ERecorder } from '../workers/e2e-recorder.js';
import { E2EStore } from '../workers/e2e-store.js';
import type { E2ESnapshot } from '../workers/stats-client.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const seconds = Number(arg('seconds', '120'));
const rates = arg('rates', '20,200,2000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const taskQueue = 'bench-hot-path';

/** One simulated run: `rate` completions a second for `seconds`; returns µs per completion. */
function simulate(rate: number, dir: string): number {
  let now = Date.UTC(2026, 0, 1, 0, 0, 0);
  const clock = () => now;
  const t0 = now;
  const recorder = new E2ERecorder(clock);
  const store = new E2EStore([taskQueue], clock);
  store.addProcess('host/1');
  const hlog = new HlogFile(dir, `hot-${rate}`, t0, 3600);
  const timeline = new Timeline(t0, 1, undefined, seconds, 0, 0, hlog);
  let afterSeq = 0;
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const began = performance.now();
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < rate; i++) {
      now = t0 + s * 1000 + Math.floor((i * 1000) / rate);
      // A latency of 50 ms to 2 s, meant to start a second or two before.
      const latency = 50 + Math.floor(random() * 1950);
      recorder.record({ workflowType: 'activityWorkflow', taskQueue, workflowId: `w-${s}-${i}`, startTimeMs: now - latency, intendedMs: now - latency - 1, status: 'completed', isChild: false });
    }
    now = t0 + (s + 1) * 1000 + 5;
    const watermark = t0 + (s + 1) * 1000;
    store.report('host/1', watermark, recorder.take(watermark));
    // The stats endpoint's JSON round trip, as the coordinator's poll sees it (intervals, totals as counts).
    const snap = JSON.parse(JSON.stringify(store.snapshot(taskQueue, afterSeq, false))) as E2ESnapshot;
    afterSeq = snap.intervals.at(-1)?.seq ?? afterSeq;
    timeline.addE2E(snap.intervals);
    if (s % 5 === 4) hlog.flush();
  }
  hlog.flush();
  return ((performance.now() - began) * 1000) / (rate * seconds);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-hot-path-'));
try {
  simulate(200, dir); // JIT warm-up
  console.log(`hot path of one completion (record + bucket + merge + serve + timeline + hlog), ${seconds} simulated s, ${runs} runs`);
  for (const rate of rates) {
    const us = Array.from({ length: runs }, () => simulate(rate, dir)).sort((a, b) => a - b);
    console.log(`${String(rate).padStart(5)}/s: ${us.map((u) => u.toFixed(2)).join(' / ')} µs per completion (min / … / max)`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

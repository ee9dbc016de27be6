/**
 * The coordinator's memory over a long soak without running one: feeds the Timeline one second at a
 * time (generator snapshot + workers' end-to-end interval, 10 workflows/s) for N simulated hours and
 * prints heap, array buffers and RSS after a GC at each hour. Run: npm run bench:timeline-memory -- 4
 */
import { encodeHistogram, newHistogram, recordMs } from '../metrics/histogram.js';
import type { IntervalSnapshot } from '../generator/interval-recorder.js';
import { Timeline } from '../recorder/timeline.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:timeline-memory does)');
const hours = Number(process.argv[2] ?? 4);
const perSecond = 10;
const t0 = Date.UTC(2026, 0, 1);
const timeline = new Timeline(t0, 1, undefined, hours * 3600 + 60, 0, 0);
const health = { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 1, cpuPercent: 1, rssMb: 1 };

function second(i: number): void {
  const samplesUs = Uint32Array.from({ length: perSecond }, (_, k) => 8000 + k * 500);
  const snapshot: IntervalSnapshot = { index: i, counts: { sent: perSecond, started: perSecond }, samplesUs: { start: samplesUs }, pending: 0, atS: i + 1, first: { inFlight: 3, queued: 0, health } };
  timeline.addSnapshot(0, snapshot);
  const e2e = newHistogram();
  for (let k = 0; k < perSecond; k++) recordMs(e2e, 60 + k * 3);
  timeline.addE2E([{ seq: i + 1, startMs: t0 + i * 1000, endMs: t0 + (i + 1) * 1000, reportedUntilMs: t0 + (i + 1) * 1000, histogram: encodeHistogram(e2e), completed: perSecond, failed: 0, canceled: 0 }]);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
gc();
const base = process.memoryUsage();
console.log(`timeline memory, ${perSecond} workflows/s, after GC, relative to start`);
for (let h = 1; h <= hours; h++) {
  for (let i = (h - 1) * 3600; i < h * 3600; i++) second(i);
  gc();
  const m = process.memoryUsage();
  const json = JSON.stringify(timeline.records()).length;
  console.log(`${h} h: heap +${mb(m.heapUsed - base.heapUsed)}  arrayBuffers +${mb(m.arrayBuffers - base.arrayBuffers)}  rss +${mb(m.rss - base.rss)}  timeline JSON ${mb(json)}`);
}

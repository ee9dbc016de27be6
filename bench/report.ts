/**
 * Benchmark (not a test): how long `generateReport` takes for a synthetic 1-hour run at 500/s
 * (3600 one-second intervals, a full set of server panels) and how big report.html gets.
 * Targets: ≤ 5 s and ≤ 3 MB.   Run: npx tsx bench/report.ts
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { MetricSeries } from '../metrics/prometheus-snapshot.js';
import { defaultQueries } from '../metrics/server-queries.js';
import { generateReport } from '../reports/generate.js';
import { fixtureResult, fixtureServer, series, writeResultsDir } from '../test/helpers/report-fixtures.js';

const targetSeconds = 5;
const targetBytes = 3 * 1024 * 1024;

// Every query has data: 240 steps of 15 s, 12 series each (more than a chart keeps), like a busy cluster.
const steps = 240;
const t0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
const data: Record<string, MetricSeries[]> = {};
for (const q of defaultQueries) {
  data[q.id] = Array.from({ length: 12 }, (_, k) => series({ operation: `Operation${k}`, service_name: 'history' }, (i) => 10 + k + Math.sin(i / 9) * 3, steps, t0));
}

let t = performance.now();
const result = fixtureResult({ intervals: 3600, rate: 500, errors: { RESOURCE_EXHAUSTED: 1, DEADLINE_EXCEEDED: 1 } });
result.summary.latencyMs.startService = result.summary.latencyMs.start!;
const dir = writeResultsDir(result, fixtureServer(data));
const setupMs = performance.now() - t;

t = performance.now();
const out = await generateReport(dir);
const seconds = (performance.now() - t) / 1000;
const bytes = fs.statSync(out.html).size;
const resultBytes = fs.statSync(`${dir}/result.json`).size;

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
console.log(`synthetic input: 3600 intervals at 500/s, result.json ${mb(resultBytes)}, ${defaultQueries.length} server queries × 12 series × ${steps} steps (built in ${(setupMs / 1000).toFixed(2)} s)`);
console.log(`generateReport: ${seconds.toFixed(2)} s (target ≤ ${targetSeconds} s) ${seconds <= targetSeconds ? 'OK' : 'OVER'}`);
console.log(`report.html: ${mb(bytes)} (target ≤ 3 MB) ${bytes <= targetBytes ? 'OK' : 'OVER'}`);
console.log(`summary.md: ${fs.statSync(out.markdown).size} bytes, junit.xml: ${fs.statSync(out.junit).size} bytes`);
fs.rmSync(dir, { recursive: true, force: true });

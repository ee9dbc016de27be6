import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeHistogram, newHistogram } from '../../metrics/histogram.js';
import type { MetricSeries, QueryResult, ServerMetricsSnapshot } from '../../metrics/prometheus-snapshot.js';
import { defaultQueries } from '../../metrics/server-queries.js';
import { RESULT_SCHEMA_VERSION, type IntervalRecord, type LatencyStats, type ResultFile, type ThresholdResult } from '../../recorder/result-schema.js';

/** Synthetic inputs for report tests and the report benchmark: deterministic, fast, schema-complete. */

export interface FixtureOptions {
  intervals?: number;
  rate?: number;
  scenario?: string;
  thresholds?: ThresholdResult[];
  valid?: boolean;
  invalidReasons?: string[];
  /** Error code → errors per interval. */
  errors?: Record<string, number>;
  startedAt?: string;
}

/** Deterministic pseudo-random in [0, 1). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function stats(medianMs: number, count: number, wobble: number): LatencyStats {
  const m = medianMs * (1 + wobble);
  return { count, mean: m * 1.1, p50: m, p90: m * 1.8, p99: m * 3, p999: m * 5, max: m * 8 };
}

export function fixtureResult(o: FixtureOptions = {}): ResultFile {
  const intervals = o.intervals ?? 60;
  const rate = o.rate ?? 50;
  const random = rng(42);
  const startedAt = o.startedAt ?? '2026-01-01T00:00:00.000Z';
  const histograms = { start: newHistogram(), e2e: newHistogram() };
  const timeline: IntervalRecord[] = [];
  for (let i = 0; i < intervals; i++) {
    const phase = i < Math.min(5, intervals / 10) ? 'warmup' : 'steady';
    const wobble = 0.3 * Math.sin(i / 20) + 0.2 * random();
    const errors = o.errors ?? {};
    const failed = Object.values(errors).reduce((a, b) => a + b, 0);
    timeline.push({
      t: i,
      durationS: 1,
      phase,
      target: rate,
      sent: rate,
      started: rate - failed,
      completed: rate - failed,
      failed,
      dropped: 0,
      errors: { ...errors },
      inFlight: Math.round(rate * 0.06 * (1 + wobble)),
      latencyMs: { start: stats(8, rate, wobble), e2e: stats(60, rate, wobble), schedulingLag: stats(0.4, rate, wobble) },
      generator: { eventLoopDelayP99Ms: 12 + 5 * random(), cpuPercent: 30 + 10 * random(), rssMb: 90 + random() },
    });
    if (phase !== 'steady') continue;
    // A few weighted samples per interval give a realistic-shaped histogram without millions of calls.
    for (let k = 0; k < 20; k++) {
      const z = -Math.log(1 - random());
      histograms.start.recordValueWithCount(Math.round(8000 * (0.5 + z)), Math.ceil(rate / 20));
      histograms.e2e.recordValueWithCount(Math.round(60000 * (0.6 + z * 0.8)), Math.ceil(rate / 20));
    }
  }
  const steadyS = timeline.filter((r) => r.phase === 'steady').length;
  const endedAt = new Date(new Date(startedAt).getTime() + intervals * 1000).toISOString();
  const totalErrors = Object.values(o.errors ?? {}).reduce((a, b) => a + b, 0) * intervals;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    runId: 'run-fixture-1',
    status: 'completed',
    startedAt,
    endedAt,
    window: { start: new Date(new Date(startedAt).getTime() + (intervals - steadyS) * 1000).toISOString(), end: endedAt },
    scenario: { name: o.scenario ?? 'start-noop', description: 'synthetic fixture', config: { executor: 'constant-arrival-rate', rate } },
    environment: {
      address: '127.0.0.1:7233',
      namespace: 'bench',
      taskQueue: 'bench-tq',
      serverVersion: '1.24.2',
      historyShardCount: 512,
      harnessVersion: '0.1.0',
      gitSha: 'abc1234',
      nodeVersion: process.version,
      generatorHost: 'test-host',
      generators: 1,
      embeddedStack: true,
    },
    timeline,
    summary: {
      targetRate: rate,
      achievedRate: rate,
      targetStarts: rate * intervals,
      sentStarts: rate * intervals,
      startedOk: rate * intervals - totalErrors,
      dropped: 0,
      errors: totalErrors,
      errorsByCode: Object.fromEntries(Object.entries(o.errors ?? {}).map(([k, v]) => [k, v * intervals])),
      completed: rate * intervals - totalErrors,
      failed: totalErrors,
      latencyMs: { start: stats(8, rate * steadyS, 0), e2e: stats(60, rate * steadyS, 0) },
      reconciliation: null,
      thresholds: o.thresholds ?? [
        { metric: 'start', expression: 'p(99)<500', ok: true, value: 24 },
        { metric: 'e2e', expression: 'p(99)<100', ok: false, value: 180 },
      ],
      valid: o.valid ?? true,
      invalidReasons: o.invalidReasons ?? [],
    },
    histograms: { start: encodeHistogram(histograms.start), e2e: encodeHistogram(histograms.e2e) },
  };
}

/** A series whose value is `value(i)` at each of `n` steps from `t0` (unix seconds). */
export function series(labels: Record<string, string>, value: number | null | ((i: number) => number | null), n = 20, t0 = 1767225600): MetricSeries {
  return { labels, points: Array.from({ length: n }, (_, i) => [t0 + 3 * i, typeof value === 'function' ? value(i) : value]) };
}

/** A snapshot where the given query ids have the given series and every other default query is missing. */
export function fixtureServer(data: Record<string, MetricSeries[]>, extra: QueryResult[] = []): ServerMetricsSnapshot {
  const results: QueryResult[] = defaultQueries.map((q) => {
    const s = data[q.id] ?? [];
    return { id: q.id, group: q.group, title: q.title, unit: q.unit, query: `${q.id}-query`, status: s.length ? 'ok' : 'missing', series: s };
  });
  return {
    schemaVersion: 1,
    source: { kind: 'prometheus', endpoints: ['http://prometheus.test'] },
    window: { start: '2026-01-01T00:00:05.000Z', end: '2026-01-01T00:01:00.000Z' },
    stepSeconds: 3,
    collectedAt: '2026-01-01T00:02:00.000Z',
    results: [...results, ...extra],
  };
}

/** Writes result.json (and optionally server-metrics.json) into a fresh temp results dir. */
export function writeResultsDir(result: ResultFile, server?: ServerMetricsSnapshot): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-report-'));
  fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify(result));
  if (server) fs.writeFileSync(path.join(dir, 'server-metrics.json'), JSON.stringify(server));
  return dir;
}

/**
 * A run whose workers capped the task queue at `limit` activities/s: `startRate`/s started and
 * `completedPerS`/s finished in each of 20 steady seconds (the drain then finished the rest).
 */
export function cappedResult(startRate: number, completedPerS: number, limit: number | undefined): ResultFile {
  const r = fixtureResult({ rate: startRate, intervals: 20 });
  r.timeline = r.timeline.map((t) => ({ ...t, phase: 'steady', durationS: 1, completed: completedPerS }));
  r.summary = { ...r.summary, achievedRate: startRate, completed: startRate * 20 };
  r.environment = { ...r.environment, workerTuning: limit === undefined ? undefined : { taskQueueActivitiesPerSecond: limit } };
  return r;
}

import { encodeHistogram, newHistogram, recordMs, summarize, type Histogram } from '../../metrics/histogram.js';
import { RESULT_SCHEMA_VERSION, type IntervalRecord, type LatencyStats, type ResultFile } from '../../recorder/result-schema.js';
import { gaussian, seededRng } from '../../compare/stats/random.js';

/**
 * A realistic synthetic result.json: lognormal latencies recorded into real HDR histograms, with an
 * autocorrelated (AR(1)) per-interval slowdown so interval percentiles drift like a real server's.
 */
export interface SyntheticOptions {
  seed: number;
  scenario?: string;
  steadyIntervals?: number;
  warmupIntervals?: number;
  rate?: number;
  /** Multiplies every latency (1.3 = 30% slower). */
  latencyScale?: number;
  /** Multiplies only the tail (samples above the median), to move p99 and not p50. */
  tailScale?: number;
  errorRate?: number;
  /** Generator RSS per interval (default flat 80 MB with noise). */
  rssMb?: (index: number) => number;
  status?: ResultFile['status'];
}

const stats = (h: Histogram): LatencyStats => {
  const { count, mean, p50, p90, p99, p999, max } = summarize(h);
  return { count, mean, p50, p90, p99, p999, max };
};

/** Interval stats straight from the samples (nearest rank): summarize() on 130 histograms is slow. */
function sampleStats(values: number[]): LatencyStats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { count: s.length, mean, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: s[s.length - 1]! };
}

export function syntheticResult(o: SyntheticOptions): ResultFile {
  const rng = seededRng(o.seed);
  const rate = o.rate ?? 40;
  const warmup = o.warmupIntervals ?? 5;
  const total = warmup + (o.steadyIntervals ?? 60);
  const whole: Record<string, Histogram> = { start: newHistogram(), e2e: newHistogram() };
  const timeline: IntervalRecord[] = [];
  let drift = 0;
  for (let k = 0; k < total; k++) {
    drift = 0.6 * drift + 0.05 * gaussian(rng);
    const phase = k < warmup ? 'warmup' : 'steady';
    const interval: Record<'start' | 'e2e', number[]> = { start: [], e2e: [] };
    const latency = (medianMs: number, sigma: number) => {
      const z = gaussian(rng);
      const tail = z > 0 ? (o.tailScale ?? 1) : 1;
      return medianMs * Math.exp(sigma * z + drift) * (o.latencyScale ?? 1) * tail;
    };
    for (let i = 0; i < rate; i++) {
      const samples = { start: latency(8, 0.4), e2e: latency(60, 0.35) };
      for (const op of ['start', 'e2e'] as const) {
        interval[op].push(samples[op]);
        if (phase === 'steady') recordMs(whole[op]!, samples[op]);
      }
    }
    const errors = Math.round(rate * (o.errorRate ?? 0) * (0.5 + rng()));
    timeline.push({
      t: k,
      durationS: 1,
      phase,
      target: rate,
      sent: rate,
      started: rate - errors,
      completed: rate - errors,
      failed: 0,
      dropped: 0,
      errors: errors ? { UNAVAILABLE: errors } : {},
      inFlight: 3,
      latencyMs: { start: sampleStats(interval.start), e2e: sampleStats(interval.e2e) },
      generator: { eventLoopDelayP99Ms: 1, cpuPercent: 20, rssMb: o.rssMb ? o.rssMb(k) : 80 + rng() * 2 },
    });
  }
  const steady = timeline.filter((i) => i.phase === 'steady');
  const sent = steady.reduce((a, i) => a + i.sent, 0);
  const started = steady.reduce((a, i) => a + i.started, 0);
  const t0 = Date.UTC(2025, 0, 1, 2, 0, 0) + o.seed * 86_400_000;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    runId: `synthetic-${o.seed}`,
    status: o.status ?? 'completed',
    startedAt: new Date(t0).toISOString(),
    endedAt: new Date(t0 + total * 1000).toISOString(),
    window: { start: new Date(t0 + warmup * 1000).toISOString(), end: new Date(t0 + total * 1000).toISOString() },
    scenario: { name: o.scenario ?? 'steady', description: 'synthetic', config: {} },
    environment: {
      address: '127.0.0.1:7233',
      namespace: 'bench',
      taskQueue: 'tq',
      serverVersion: '1.24.2',
      historyShardCount: 512,
      harnessVersion: '0.1.0',
      gitSha: 'synthetic',
      nodeVersion: process.version,
      generatorHost: 'test',
      generators: 1,
      embeddedStack: false,
    },
    timeline,
    summary: {
      targetRate: rate,
      achievedRate: started / steady.length,
      targetStarts: sent,
      sentStarts: sent,
      startedOk: started,
      dropped: 0,
      errors: sent - started,
      errorsByCode: {},
      completed: started,
      failed: 0,
      latencyMs: { start: stats(whole.start!), e2e: stats(whole.e2e!) },
      reconciliation: null,
      thresholds: [],
      valid: true,
      invalidReasons: [],
    },
    histograms: { start: encodeHistogram(whole.start!), e2e: encodeHistogram(whole.e2e!) },
  };
}

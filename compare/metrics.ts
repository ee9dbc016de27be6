import type { IntervalRecord, LatencyStats, ResultFile } from '../recorder/result-schema.js';
import { mean, median } from './stats/random.js';

/**
 * The metrics a comparison judges, each defined once: how to read its per-interval samples (for the
 * significance test) and its whole-run value (the number users see in the report, for the delta).
 */
export type MetricKind = 'latency' | 'throughput' | 'errorRate';

export interface MetricSpec {
  id: string;
  label: string;
  kind: MetricKind;
  unit: 'ms' | '/s' | 'ratio';
  /** Which direction is an improvement. */
  better: 'lower' | 'higher';
  /** Rates near 0 compare on an absolute scale (0 → 0.02 has no meaningful ratio). */
  scale: 'relative' | 'absolute';
  statistic: (values: number[]) => number;
  samples: (steady: IntervalRecord[]) => number[];
  whole: (result: ResultFile, steady: IntervalRecord[]) => number | null;
  /** A caveat about what the interval samples can show (e.g. a p99.9 that is really the interval max). */
  intervalNote?: (steady: IntervalRecord[]) => string | undefined;
  /** Why this run's samples cannot support a verdict on the metric at all (undefined: they can). */
  untestable?: (steady: IntervalRecord[]) => string | undefined;
}

/**
 * A percentile is judged only when at least this many samples lie beyond it in the run: p99 of 75
 * samples is their maximum, one GC pause or checkpoint, and two identical runs differ by 2x in it.
 */
export const minTailSamples = 10;

const percentiles = [
  ['p50', 'p50', 0.5],
  ['p99', 'p99', 0.99],
  ['p999', 'p99.9', 0.999],
] as const satisfies readonly (readonly [keyof LatencyStats, string, number])[];

const operations = [
  ['start', 'start latency'],
  ['e2e', 'end-to-end latency'],
] as const;

function sum(steady: IntervalRecord[], f: (i: IntervalRecord) => number): number {
  return steady.reduce((acc, i) => acc + f(i), 0);
}

const callErrors = (i: IntervalRecord) => Object.values(i.errors ?? {}).reduce((a, b) => a + b, 0);

const latencySpecs: MetricSpec[] = operations.flatMap(([op, opLabel]) =>
  percentiles.map(([key, pLabel, q]) => ({
    id: `${op}.${key}`,
    label: `${opLabel} ${pLabel}`,
    kind: 'latency' as const,
    unit: 'ms' as const,
    better: 'lower' as const,
    scale: 'relative' as const,
    statistic: median,
    // Intervals without any sample of the operation have no percentile: skipped, never read as 0.
    samples: (steady: IntervalRecord[]) => steady.flatMap((i) => (i.latencyMs?.[op]?.count ? [i.latencyMs[op]![key]] : [])),
    whole: (r: ResultFile) => r.summary.latencyMs?.[op]?.[key] ?? null,
    intervalNote: (steady: IntervalRecord[]) => {
      const perInterval = median(steady.map((i) => i.latencyMs?.[op]?.count ?? 0));
      return perInterval * (1 - q) < 1 ? `interval ${pLabel} is the interval max at ${Math.round(perInterval)} samples/interval` : undefined;
    },
    untestable: (steady: IntervalRecord[]) => {
      const n = sum(steady, (i) => i.latencyMs?.[op]?.count ?? 0);
      const needed = Math.ceil(minTailSamples / (1 - q));
      return n < needed ? `${pLabel} of ${n.toLocaleString('en-US')} samples is nearly their max; needs ≥ ${needed.toLocaleString('en-US')} samples per run` : undefined;
    },
  })),
);

export const metricSpecs: MetricSpec[] = [
  ...latencySpecs,
  {
    id: 'throughput',
    label: 'achieved throughput (starts/s)',
    kind: 'throughput',
    unit: '/s',
    better: 'higher',
    scale: 'relative',
    statistic: median,
    samples: (steady) => steady.filter((i) => i.durationS > 0).map((i) => i.started / i.durationS),
    whole: (_r, steady) => {
      const secs = sum(steady, (i) => i.durationS);
      return secs > 0 ? sum(steady, (i) => i.started) / secs : null;
    },
  },
  {
    id: 'errorRate',
    label: 'error rate (failed calls / sent)',
    kind: 'errorRate',
    unit: 'ratio',
    better: 'lower',
    scale: 'absolute',
    statistic: mean,
    samples: (steady) => steady.filter((i) => i.sent > 0).map((i) => callErrors(i) / i.sent),
    whole: (_r, steady) => {
      const sent = sum(steady, (i) => i.sent);
      return sent > 0 ? sum(steady, callErrors) / sent : null;
    },
  },
  {
    id: 'workflowFailureRate',
    label: 'workflow failure rate (failed / finished)',
    kind: 'errorRate',
    unit: 'ratio',
    better: 'lower',
    scale: 'absolute',
    statistic: mean,
    samples: (steady) => steady.filter((i) => i.completed + i.failed > 0).map((i) => i.failed / (i.completed + i.failed)),
    whole: (_r, steady) => {
      const finished = sum(steady, (i) => i.completed + i.failed);
      return finished > 0 ? sum(steady, (i) => i.failed) / finished : null;
    },
  },
];

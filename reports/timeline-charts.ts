import type { IntervalRecord, ResultFile } from '../recorder/result-schema.js';
import { round, type ChartSection, type ChartSeries, type ChartSpec } from './chart-spec.js';
import { chartOverlay } from './faults.js';

/** Charts over the generator's per-interval timeline, downsampled to at most `maxPoints` per series. */

export const maxPoints = 720;

interface Bucket {
  t: number;
  seconds: number;
  items: IntervalRecord[];
}

function bucketize(timeline: IntervalRecord[], max: number): Bucket[] {
  const per = Math.max(1, Math.ceil(timeline.length / max));
  const out: Bucket[] = [];
  for (let i = 0; i < timeline.length; i += per) {
    const items = timeline.slice(i, i + per);
    out.push({ t: items[0]!.t, seconds: items.reduce((s, r) => s + (r.durationS || 1), 0), items });
  }
  return out;
}

/** Counts become per-second rates; levels and latencies keep the bucket's worst value (never hide a spike). */
const perSecond = (b: Bucket, f: (r: IntervalRecord) => number) => round(b.items.reduce((s, r) => s + f(r), 0) / b.seconds);
const worst = (b: Bucket, f: (r: IntervalRecord) => number | undefined) => {
  const values = b.items.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? round(Math.max(...values)) : null;
};

function phaseBands(timeline: IntervalRecord[]): ChartSpec['bands'] {
  const bands: NonNullable<ChartSpec['bands']> = [];
  for (const r of timeline) {
    const last = bands.at(-1);
    if (last && last.label === r.phase) last.to = r.t + r.durationS;
    else bands.push({ from: r.t, to: r.t + r.durationS, label: r.phase });
  }
  return bands.filter((b) => b.label !== 'steady');
}

/** `p(99)<500` on a metric named like the operation becomes a reference line on its chart. */
function thresholdLines(result: ResultFile, op: string): ChartSpec['refLines'] {
  const lines: NonNullable<ChartSpec['refLines']> = [];
  for (const t of result.summary.thresholds) {
    const m = /^p\((\d+(?:\.\d+)?)\)\s*<=?\s*(\d+(?:\.\d+)?)$/.exec(t.expression.trim());
    if (m && (t.metric === op || t.metric.startsWith(`${op}{`))) lines.push({ y: Number(m[2]), label: `threshold ${t.expression}` });
  }
  return lines;
}

export function timelineSections(result: ResultFile): ChartSection[] {
  const timeline = result.timeline;
  const buckets = bucketize(timeline, maxPoints);
  const x = buckets.map((b) => b.t);
  const bands = phaseBands(timeline);
  // Faults and outage windows on every time chart, so an error spike lines up with its cause.
  const overlay = chartOverlay(result);
  const per = buckets[0]?.items.length ?? 1;
  const note = per > 1 ? `each point covers ${per} intervals (rates averaged, latencies and levels: worst)` : undefined;
  const chart = (id: string, title: string, unit: string, series: ChartSeries[], extra: Partial<ChartSpec> = {}): ChartSpec => ({
    id,
    title,
    unit,
    xKind: 'time',
    x,
    series,
    bands,
    note,
    ...overlay,
    ...extra,
  });
  const rate = (name: string, f: (r: IntervalRecord) => number, dashed = false): ChartSeries => ({ name, y: buckets.map((b) => perSecond(b, f)), dashed });

  const load = chart('rate', 'Target vs achieved start rate', '/s', [
    rate('target', (r) => r.target, true),
    rate('sent', (r) => r.sent),
    rate('started', (r) => r.started),
    // Workflows finished per second as it happened (`completed` counts them in the second they were meant to start).
    rate('finished', (r) => r.finished ?? r.completed),
    rate('failed', (r) => r.failed),
    rate('dropped', (r) => r.dropped),
  ]);
  const inFlight = chart('in-flight', 'In-flight starts', 'count', [{ name: 'in flight', y: buckets.map((b) => worst(b, (r) => r.inFlight)) }]);

  const ops = [...new Set(timeline.flatMap((r) => Object.keys(r.latencyMs)))].filter((op) => op !== 'schedulingLag');
  const latency = ops.map((op) =>
    chart(
      `latency-${op}`,
      `${op} latency percentiles`,
      'ms',
      (['p50', 'p90', 'p99', 'p999', 'max'] as const).map((p) => ({ name: p, y: buckets.map((b) => worst(b, (r) => r.latencyMs[op]?.[p])) })),
      { refLines: thresholdLines(result, op) },
    ),
  );

  const codes = [...new Set(timeline.flatMap((r) => Object.keys(r.errors)))].sort();
  const errors = chart(
    'errors',
    'Errors by type',
    '/s',
    codes.map((code) => rate(code, (r) => r.errors[code] ?? 0)),
    codes.length ? {} : { status: 'missing', message: 'no errors recorded' },
  );

  const generator = [
    chart('generator-loop', 'Generator event-loop delay p99', 'ms', [{ name: 'event-loop delay p99', y: buckets.map((b) => worst(b, (r) => r.generator.eventLoopDelayP99Ms)) }]),
    chart(
      'generator-lag',
      'Scheduling lag (actual − intended send)',
      'ms',
      (['p50', 'p99', 'max'] as const).map((p) => ({ name: p, y: buckets.map((b) => worst(b, (r) => r.latencyMs.schedulingLag?.[p])) })),
    ),
    chart('generator-cpu', 'Generator CPU and memory', '% / MB', [
      { name: 'CPU %', y: buckets.map((b) => worst(b, (r) => r.generator.cpuPercent)) },
      { name: 'RSS MB', y: buckets.map((b) => worst(b, (r) => r.generator.rssMb)) },
    ]),
  ];

  return [
    { id: 'load', title: 'Load', charts: [load, inFlight] },
    { id: 'latency', title: 'Latency over time', charts: latency },
    { id: 'errors', title: 'Errors', charts: [errors] },
    { id: 'generator', title: 'Generator health', charts: generator },
  ];
}

import { UsageError } from '../core/errors.js';
import type { Histogram } from '../metrics/histogram.js';
import type { Threshold } from '../scenarios/types.js';
import type { Availability, ThresholdResult } from './result-schema.js';

/**
 * k6 thresholds over the harness's metrics: `{ 'start_latency{kind:chain}': ['p(99)<500'] }`.
 * Trend metrics are milliseconds (avg, min, max, med, p(N)); rate metrics are fractions (rate);
 * counters have count and rate (per second); gauges are single figures of the whole run computed after
 * it (availability), each with its own aggregation names.
 */
type MetricType = 'trend' | 'rate' | 'counter' | 'gauge';

interface MetricSpec {
  type: MetricType;
  /** Key of the data in ThresholdData (a recorder metric name). */
  source: string;
  tags: string[];
  describe: string;
  /** Gauges: the aggregations it has (keys of its ThresholdData.gauges entry). */
  aggregations?: string[];
}

export const thresholdMetrics: Record<string, MetricSpec> = {
  workflow_e2e: { type: 'trend', source: 'e2e', tags: [], describe: 'workflow start → completion, from the workers (ms)' },
  start_latency: { type: 'trend', source: 'start', tags: ['kind'], describe: 'StartWorkflowExecution from the intended time (ms)' },
  start_service_time: { type: 'trend', source: 'startService', tags: ['kind'], describe: 'StartWorkflowExecution from the send (ms)' },
  scheduling_lag: { type: 'trend', source: 'schedulingLag', tags: [], describe: 'send time − intended time (ms)' },
  signal_latency: { type: 'trend', source: 'signal', tags: ['kind'], describe: 'SignalWorkflowExecution (ms)' },
  update_latency: { type: 'trend', source: 'update', tags: ['kind'], describe: 'UpdateWorkflowExecution (ms)' },
  query_latency: { type: 'trend', source: 'query', tags: ['kind'], describe: 'QueryWorkflow (ms)' },
  errors: { type: 'rate', source: 'errors', tags: ['kind', 'code'], describe: 'failed start/signal/update/query calls / calls' },
  dropped: { type: 'rate', source: 'dropped', tags: [], describe: 'starts dropped at the in-flight cap / intended starts' },
  workflow_failures: { type: 'rate', source: 'workflowFailures', tags: [], describe: 'failed workflows / finished workflows' },
  starts: { type: 'counter', source: 'starts', tags: ['kind'], describe: 'acknowledged starts (count; rate per second)' },
  unavailable_seconds: { type: 'gauge', source: 'unavailable_seconds', tags: [], aggregations: ['value'], describe: 'seconds in outage windows, whole run (value)' },
  recovery_time: { type: 'gauge', source: 'recovery_time', tags: [], aggregations: ['max'], describe: 'restart (or fault) → end of its outage, longest over faults (max, ms)' },
};

const aggregations: Record<MetricType, RegExp> = {
  trend: /^(avg|min|max|med|p\((\d+(?:\.\d+)?)\))$/,
  rate: /^(rate)$/,
  counter: /^(count|rate)$/,
  gauge: /^([a-z]+)$/, // then checked against the metric's own aggregations
};

function aggregationHint(name: string, spec: MetricSpec): string {
  if (spec.type === 'gauge') return `${name} is a gauge; use ${spec.aggregations!.join(' or ')}`;
  return `${name} is a ${spec.type} metric; use ${spec.type === 'trend' ? 'avg, min, max, med or p(N)' : spec.type === 'rate' ? 'rate' : 'count or rate'}`;
}

export type Op = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface ParsedThreshold {
  /** As written, e.g. `start_latency{kind:chain}`. */
  metric: string;
  expression: string;
  /** The data key: source plus canonical tags, e.g. `start{kind:chain}`. */
  key: string;
  type: MetricType;
  aggregation: string;
  percentile?: number;
  op: Op;
  value: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

export function tagKey(source: string, tags: Record<string, string>): string {
  const entries = Object.entries(tags).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? `${source}{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}` : source;
}

function parseMetric(metric: string): { name: string; tags: Record<string, string> } {
  const m = /^([a-z][a-z0-9_]*)(?:\{([^{}]*)\})?$/.exec(metric.trim());
  if (!m) throw new UsageError(`threshold metric ${JSON.stringify(metric)}: expected name or name{tag:value}`);
  const name = m[1]!;
  const spec = thresholdMetrics[name];
  if (!spec) throw new UsageError(`threshold metric ${JSON.stringify(name)} is unknown; known: ${Object.keys(thresholdMetrics).join(', ')}`);
  const tags: Record<string, string> = {};
  for (const part of (m[2] ?? '').split(',').filter((p) => p.trim())) {
    const tm = /^\s*([a-z_]+)\s*:\s*([\w.-]+)\s*$/.exec(part);
    if (!tm) throw new UsageError(`threshold metric ${JSON.stringify(metric)}: bad tag filter ${JSON.stringify(part)} (expected tag:value)`);
    if (!spec.tags.includes(tm[1]!)) throw new UsageError(`threshold metric ${name} has no tag ${JSON.stringify(tm[1])}${spec.tags.length ? ` (tags: ${spec.tags.join(', ')})` : ''}`);
    tags[tm[1]!] = tm[2]!;
  }
  return { name, tags };
}

const expressionPattern = /^\s*([a-z]+(?:\(\s*\d+(?:\.\d+)?\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/;

export function parseThreshold(metric: string, threshold: Threshold, parseDelay: (s: string) => number): ParsedThreshold {
  const { name, tags } = parseMetric(metric);
  const spec = thresholdMetrics[name]!;
  const obj = typeof threshold === 'string' ? { threshold } : threshold;
  if (!obj || typeof obj.threshold !== 'string') throw new UsageError(`threshold for ${metric}: expected a string or {threshold, abortOnFail}`);
  const m = expressionPattern.exec(obj.threshold);
  if (!m) throw new UsageError(`threshold ${JSON.stringify(obj.threshold)} for ${metric}: expected e.g. p(99)<500, avg<200, rate<0.01, count>100`);
  const aggregation = m[1]!.replace(/\s+/g, '');
  const am = aggregations[spec.type].exec(aggregation);
  if (!am || (spec.aggregations && !spec.aggregations.includes(am[1]!))) throw new UsageError(`threshold ${JSON.stringify(obj.threshold)}: ${aggregationHint(name, spec)}`);
  // Gauges exist only once the run is over: evaluated mid-run they would abort on "no data".
  if (spec.type === 'gauge' && obj.abortOnFail) throw new UsageError(`threshold ${JSON.stringify(obj.threshold)} for ${metric}: abortOnFail is not supported (${name} is computed after the run)`);
  const percentile = am[2] !== undefined ? Number(am[2]) : undefined;
  if (percentile !== undefined && !(percentile >= 0 && percentile <= 100)) throw new UsageError(`threshold ${JSON.stringify(obj.threshold)}: percentile must be 0-100`);
  return {
    metric,
    expression: obj.threshold,
    key: tagKey(spec.source, tags),
    type: spec.type,
    aggregation: am[1]!.startsWith('p(') ? 'p' : am[1]!,
    percentile,
    op: m[2] as Op,
    value: Number(m[3]),
    abortOnFail: Boolean(obj.abortOnFail),
    delayAbortEvalMs: obj.delayAbortEval ? parseDelay(obj.delayAbortEval) : 0,
  };
}

export function parseThresholds(record: Record<string, Threshold[] | Threshold> | undefined, parseDelay: (s: string) => number): ParsedThreshold[] {
  if (record === undefined) return [];
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new UsageError('thresholds must be an object: { metric: [expression, ...] }');
  return Object.entries(record).flatMap(([metric, list]) => (Array.isArray(list) ? list : [list]).map((t) => parseThreshold(metric, t, parseDelay)));
}

/** `--threshold 'start_latency=p(99)<500'` (repeatable); a metric named here replaces the scenario's. */
export function parseThresholdFlags(flags: string[]): Record<string, Threshold[]> {
  const out: Record<string, Threshold[]> = {};
  for (const flag of flags) {
    const i = flag.indexOf('=');
    if (i <= 0) throw new UsageError(`--threshold ${JSON.stringify(flag)}: expected metric=expression, e.g. start_latency=p(99)<500`);
    (out[flag.slice(0, i).trim()] ??= []).push(flag.slice(i + 1).trim());
  }
  return out;
}

/** What the thresholds are evaluated against (steady-phase data). */
export interface ThresholdData {
  trends: Record<string, Histogram | undefined>;
  rates: Record<string, { hits: number; total: number } | undefined>;
  counters: Record<string, { count: number; durationS: number } | undefined>;
  /** Whole-run figures by metric source and aggregation; absent: as availabilityThresholdData(undefined). */
  gauges?: Record<string, Record<string, number | null> | undefined>;
}

/**
 * The gauges piece of ThresholdData from a run's availability (merge it into the run's ThresholdData).
 * unavailable_seconds: seconds in outage windows (0 without availability data: no outage was seen).
 * recovery_time max: the longest recoveryS × 1000 over faults with an outage; 0 when faults ran and
 * none caused one; null (fails, as a metric with no samples) with no faults, or when an outage never
 * ended, since then nothing shows the cluster recovered.
 */
export function availabilityThresholdData(av: Availability | undefined): Required<Pick<ThresholdData, 'gauges'>> {
  let recoveryMs: number | null = null;
  if (av && av.faults.length > 0) {
    const outages = av.faults.filter((f) => f.impact === 'outage');
    recoveryMs = outages.some((f) => f.recoveryS === null) ? null : Math.max(0, ...outages.map((f) => Math.round(f.recoveryS! * 1000)));
  }
  return { gauges: { unavailable_seconds: { value: av?.unavailableSeconds ?? 0 }, recovery_time: { max: recoveryMs } } };
}

function observe(t: ParsedThreshold, data: ThresholdData): number | null {
  if (t.type === 'trend') {
    const h = data.trends[t.key];
    if (!h || h.totalCount === 0) return null;
    const us = t.aggregation === 'avg' ? h.mean : t.aggregation === 'min' ? h.minNonZeroValue : t.aggregation === 'max' ? h.maxValue : t.aggregation === 'med' ? h.getValueAtPercentile(50) : h.getValueAtPercentile(t.percentile!);
    return Math.round(us) / 1000;
  }
  if (t.type === 'rate') {
    const r = data.rates[t.key];
    return r && r.total > 0 ? r.hits / r.total : null;
  }
  if (t.type === 'gauge') return (data.gauges ?? availabilityThresholdData(undefined).gauges)[t.key]?.[t.aggregation] ?? null;
  const c = data.counters[t.key];
  if (!c) return null;
  return t.aggregation === 'count' ? c.count : c.durationS > 0 ? c.count / c.durationS : null;
}

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
    case '===':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** A threshold with no samples fails (as in k6 ≥ 0.51 for missing metrics: nothing proves the SLO). */
export function evaluateThresholds(thresholds: ParsedThreshold[], data: ThresholdData): ThresholdResult[] {
  return thresholds.map((t) => {
    const value = observe(t, data);
    return { metric: t.metric, expression: t.expression, ok: value !== null && compare(value, t.op, t.value), value, ...(t.abortOnFail ? { abortOnFail: true } : {}) };
  });
}

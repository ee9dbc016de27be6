import { absentNames, exprNames } from './families.js';
import { finiteOrNull, resultStatus, type MetricSeries, type QueryResult } from './prometheus-snapshot.js';
import { formatDuration } from './rate-window.js';
import { resolveExpr, toPromQL, type Expr, type Matchers, type QueryConfig } from './server-queries.js';

/**
 * Direct-scrape evaluation: the same structured queries as the Prometheus source, computed from
 * consecutive raw `/metrics` scrapes. Rates and histogram quantiles come from the deltas between
 * two scrapes, so only the previous scrape is kept in memory whatever the run length.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const lineRe = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
const unescapeLabel = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
const specials: Record<string, number> = { '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity, NaN: NaN };
const parseValue = (v: string) => (Object.hasOwn(specials, v) ? specials[v]! : Number(v));

/** Parses the Prometheus text exposition format (comments and timestamps ignored). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = lineRe.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const lm of (m[2] ?? '').matchAll(labelRe)) labels[lm[1]!] = unescapeLabel(lm[2]!);
    samples.push({ name: m[1]!, labels, value: parseValue(m[3]!) });
  }
  return samples;
}

/** Family names a scrape declares with `# TYPE` lines: exported, even before a first event. */
export function declaredFamilies(text: string): string[] {
  return [...text.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /gm)].map((m) => m[1]!);
}

/** A scrape indexed by metric name, then by the full label set. */
export type Scrape = Map<string, Map<string, Sample>>;

export function indexSamples(samples: Sample[]): Scrape {
  const out: Scrape = new Map();
  for (const s of samples) {
    let byKey = out.get(s.name);
    if (!byKey) out.set(s.name, (byKey = new Map()));
    byKey.set(labelKey(s.labels), s);
  }
  return out;
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const regexes = new Map<string, RegExp>();
/** Anchored like PromQL regex matchers; cached because matching runs per sample per scrape. */
function anchored(source: string): RegExp {
  let re = regexes.get(source);
  if (!re) regexes.set(source, (re = new RegExp(`^(?:${source})$`)));
  return re;
}

function matches(labels: Record<string, string>, match: Matchers = {}): boolean {
  for (const [label, want] of Object.entries(match)) {
    const have = labels[label] ?? '';
    if (want.startsWith('!~')) {
      if (anchored(want.slice(2)).test(have)) return false;
    } else if (want.startsWith('~')) {
      if (!anchored(want.slice(1)).test(have)) return false;
    } else if (want.startsWith('!')) {
      if (have === want.slice(1)) return false;
    } else if (have !== want) return false;
  }
  return true;
}

function names(scrape: Scrape, metric: string, suffix = ''): string[] {
  if (!metric.startsWith('~')) return scrape.has(metric + suffix) ? [metric + suffix] : [];
  const re = anchored(`(?:${metric.slice(1)})${suffix}`);
  return [...scrape.keys()].filter((name) => re.test(name));
}

/** Grouped values: group key → { labels, value }. */
type Vector = Map<string, { labels: Record<string, string>; value: number }>;

function pick(labels: Record<string, string>, by: string[]): Record<string, string> {
  return Object.fromEntries(by.filter((l) => labels[l] !== undefined).map((l) => [l, labels[l]!]));
}

function addTo(vector: Vector, labels: Record<string, string>, value: number): void {
  const key = labelKey(labels);
  const have = vector.get(key);
  if (have) have.value += value;
  else vector.set(key, { labels, value });
}

/** Per-second increase of every matching counter series, summed by `by` (+ extra labels kept). */
function rateVector(prev: Scrape, cur: Scrape, dt: number, metric: string, match: Matchers | undefined, by: string[], suffix = ''): Vector {
  const out: Vector = new Map();
  for (const name of names(cur, metric, suffix)) {
    const before = prev.get(name);
    for (const [key, sample] of cur.get(name)!) {
      const old = before?.get(key);
      if (!old || !matches(sample.labels, match)) continue; // a new series has no rate yet
      const delta = sample.value >= old.value ? sample.value - old.value : sample.value; // counter reset
      addTo(out, pick(sample.labels, by), delta / dt);
    }
  }
  return out;
}

/** Prometheus' histogram_quantile: linear interpolation inside the bucket holding the rank. */
export function bucketQuantile(q: number, buckets: { le: number; count: number }[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1);
  if (!total || total.le !== Infinity || total.count <= 0) return NaN;
  const rank = q * total.count;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      if (b.count === prevCount) return b.le;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / (b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return NaN;
}

function evaluate(expr: Expr, prev: Scrape, cur: Scrape, dt: number): Vector {
  switch (expr.kind) {
    case 'rate':
      return rateVector(prev, cur, dt, expr.metric, expr.match, expr.by ?? []);
    case 'gauge': {
      const out: Vector = new Map();
      const counts = new Map<string, number>();
      for (const name of names(cur, expr.metric)) {
        for (const sample of cur.get(name)!.values()) {
          if (!matches(sample.labels, expr.match)) continue;
          const labels = pick(sample.labels, expr.by ?? []);
          const key = labelKey(labels);
          const have = out.get(key);
          counts.set(key, (counts.get(key) ?? 0) + 1);
          if (!have) out.set(key, { labels, value: sample.value });
          else have.value = expr.agg === 'max' ? Math.max(have.value, sample.value) : have.value + sample.value;
        }
      }
      if (expr.agg === 'avg') for (const [key, v] of out) v.value /= counts.get(key)!;
      return out;
    }
    case 'quantile': {
      const by = expr.by ?? [];
      const perLe = rateVector(prev, cur, dt, expr.metric, expr.match, [...by, 'le'], '_bucket');
      const groups = new Map<string, { labels: Record<string, string>; buckets: { le: number; count: number }[] }>();
      for (const { labels, value } of perLe.values()) {
        const group = pick(labels, by);
        const key = labelKey(group);
        if (!groups.has(key)) groups.set(key, { labels: group, buckets: [] });
        groups.get(key)!.buckets.push({ le: Number(labels.le === '+Inf' ? Infinity : labels.le), count: value });
      }
      const out: Vector = new Map();
      for (const [key, g] of groups) out.set(key, { labels: g.labels, value: bucketQuantile(expr.q, g.buckets) * (expr.toMs ?? 1) });
      return out;
    }
    case 'ratio': {
      const num = evaluate(expr.num, prev, cur, dt);
      const den = evaluate(expr.den, prev, cur, dt);
      const out: Vector = new Map();
      for (const [key, n] of num) {
        const d = den.get(key);
        if (d) out.set(key, { labels: n.labels, value: n.value / d.value });
      }
      return out;
    }
  }
}

/**
 * Accumulates query results scrape by scrape. A rate at a scrape covers the time since the one
 * before: the window is the scrape interval (`intervalSeconds`, else the last gap seen).
 */
export class ScrapeEvaluator {
  private prev: { t: number; scrape: Scrape } | undefined;
  private readonly series = new Map<string, Map<string, MetricSeries>>();
  /** Every family declared and sample name seen in any scrape: what the endpoints export. */
  private readonly known = new Set<string>();
  private lastGap = 0;

  constructor(
    private readonly config: QueryConfig,
    private readonly intervalSeconds?: number,
  ) {}

  get windowSeconds(): number {
    return this.intervalSeconds ?? this.lastGap;
  }

  /** Adds a scrape taken at `t` (unix seconds), with the families its `# TYPE` lines declared. */
  add(t: number, scrape: Scrape, declared: Iterable<string> = []): void {
    for (const name of scrape.keys()) this.known.add(name);
    for (const name of declared) this.known.add(name);
    const prev = this.prev;
    this.prev = { t, scrape };
    if (prev && t > prev.t) this.lastGap = t - prev.t;
    if (!prev || t <= prev.t) return;
    for (const query of this.config.queries) {
      if (!query.expr) continue;
      const vector = evaluate(resolveExpr(query.expr, query.scope, this.config), prev.scrape, scrape, t - prev.t);
      let byKey = this.series.get(query.id);
      if (!byKey) this.series.set(query.id, (byKey = new Map()));
      for (const [key, { labels, value }] of vector) {
        if (!byKey.has(key)) byKey.set(key, { labels, points: [] });
        byKey.get(key)!.points.push([t, finiteOrNull(value)]);
      }
    }
  }

  results(): QueryResult[] {
    return this.config.queries.map((query) => {
      const head = { id: query.id, group: query.group, title: query.title, unit: query.unit };
      if (!query.expr) return { ...head, query: query.promql ?? '', status: 'error', error: 'raw PromQL cannot be evaluated from direct scrapes', series: [] };
      const series = [...(this.series.get(query.id)?.values() ?? [])];
      const expr = resolveExpr(query.expr, query.scope, this.config);
      const absent = absentNames(exprNames(expr), this.known);
      const status = resultStatus(series, absent);
      const window = formatDuration(this.windowSeconds);
      return { ...head, query: toPromQL(expr, window), status, ...(status === 'missing' ? { absent } : {}), series };
    });
  }
}

import type { MetricSeries, QueryResult } from '../../metrics/prometheus-snapshot.js';
import { pointWindow, runPhases, steadyPoints, steadyScope } from '../server-window.js';
import type { Confidence, Evidence, Recommendation, RuleInput } from './types.js';

/** Shared ways of summarising series into evidence, so every rule measures "high" the same way. */

export type StatKind = 'peak' | 'sustained' | 'sustainedLow' | 'min' | 'mean';

export const statLabel: Record<StatKind, string> = {
  peak: 'peak',
  sustained: 'p75',
  sustainedLow: 'p25',
  min: 'minimum',
  mean: 'mean',
};

/** A query's steady points, and what they cover, e.g. "steady t=30–290 s, rate window 8s". */
export interface Found extends QueryResult {
  scope: string;
}

/**
 * The query's points whose window lies inside the steady phase; missing, zero or failed queries, and
 * queries with no point inside it (a run shorter than the rate window), give no evidence.
 */
export function found(input: RuleInput, id: string): Found | undefined {
  const result = input.server?.results.find((r) => r.id === id);
  if (result?.status !== 'ok') return undefined;
  const phases = runPhases(input.result);
  const steady = steadyPoints(result, phases);
  return steady && { ...steady, scope: steadyScope(phases, pointWindow(result)) };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function seriesStat(series: MetricSeries, kind: StatKind): number | null {
  const values = series.points
    .map(([, v]) => v)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  if (values.length === 0) return null;
  switch (kind) {
    case 'peak':
      return values.at(-1)!;
    case 'min':
      return values[0]!;
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'sustained':
      return quantile(values, 0.75);
    case 'sustainedLow':
      return quantile(values, 0.25);
  }
}

export function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export interface SeriesValue {
  labels: Record<string, string>;
  where: string;
  value: number;
  /** What the statistic was computed over (see Found). */
  scope: string;
}

/** Every series' statistic, highest first (lowest first for the "low" kinds). */
export function rank(result: Found | undefined, kind: StatKind, filter: (labels: Record<string, string>) => boolean = () => true): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const s of result?.series ?? []) {
    if (!filter(s.labels)) continue;
    const value = seriesStat(s, kind);
    if (value !== null) out.push({ labels: s.labels, where: labelText(s.labels), value, scope: result!.scope });
  }
  const low = kind === 'min' || kind === 'sustainedLow';
  return out.sort((a, b) => (low ? a.value - b.value : b.value - a.value));
}

export function evidence(metric: string, found: SeriesValue, kind: StatKind, limit: number | null, unit: string): Evidence {
  return { metric, where: found.where || undefined, observed: found.value, limit, unit, stat: `${statLabel[kind]} over ${found.scope}` };
}

const weight: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** Ranks recommendations: confidence first, then how far past the limit (capped so one wild value cannot dominate). */
export function score(confidence: Confidence, observed: number, limit: number | null, lowerIsWorse = false): number {
  const excess = limit === null || limit === 0 ? 2 : lowerIsWorse ? limit / Math.max(observed, 1e-9) : observed / limit;
  return weight[confidence] * 10 + Math.min(9.9, excess);
}

/**
 * Above any rule scored from its evidence alone (at most 39.9): a configured limit the load is
 * observed to hit explains the symptoms other rules see (slow schedule-to-start, exhausted worker
 * slots, low sync-match, slow persistence under the backlog), so it is named first.
 */
export function configuredLimitHit(rec: Recommendation): Recommendation {
  return { ...rec, score: Math.max(rec.score, 45) };
}

export function recommend(rec: Omit<Recommendation, 'score'>, lowerIsWorse = false): Recommendation {
  const lead = rec.evidence[0]!;
  return { ...rec, score: score(rec.confidence, lead.observed, lead.limit, lowerIsWorse) };
}

/** Client-side error count for a gRPC status over the whole run (e.g. RESOURCE_EXHAUSTED). */
export function clientErrors(input: RuleInput, code: string): number {
  return input.result.summary.errorsByCode[code] ?? 0;
}

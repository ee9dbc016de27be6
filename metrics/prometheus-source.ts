import { UsageError } from '../cli/errors.js';
import {
  finiteOrNull,
  resultStatus,
  SERVER_METRICS_SCHEMA_VERSION,
  type MetricSeries,
  type QueryResult,
  type ServerMetricsSnapshot,
} from './prometheus-snapshot.js';
import { defaultQueryConfig, queryPromQL, type QueryConfig, type QuerySpec } from './server-queries.js';

/** Range queries against a Prometheus server over the run window; one result per query. */

export interface PrometheusFetchOptions {
  url: string;
  window: { start: Date; end: Date };
  config?: QueryConfig;
  timeoutMs?: number;
  /** Parallel queries: Prometheus is shared with production dashboards, keep it gentle. */
  concurrency?: number;
}

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; values?: [number, string][] }[] };
}

/**
 * At most ~240 points per series whatever the window. Short windows still get several points: a
 * step longer than the window would evaluate only at its start, before the run's traffic.
 */
export function defaultStepSeconds(windowSeconds: number): number {
  return Math.max(1, Math.ceil(windowSeconds / 240));
}

async function getJson(url: string, timeoutMs: number): Promise<PromResponse> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  try {
    return JSON.parse(text) as PromResponse;
  } catch {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 120)}`);
  }
}

function base(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Fails with one actionable line when the URL is not a reachable Prometheus. */
export async function checkPrometheus(url: string, timeoutMs = 10_000): Promise<void> {
  try {
    const body = await getJson(`${base(url)}/api/v1/query?query=vector(1)`, timeoutMs);
    if (body.status !== 'success') throw new Error(body.error ?? 'query failed');
  } catch (err) {
    throw new UsageError(`cannot query Prometheus at ${url}: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function runQuery(
  query: QuerySpec,
  config: QueryConfig,
  options: PrometheusFetchOptions,
  step: number,
): Promise<QueryResult> {
  const head = { id: query.id, group: query.group, title: query.title, unit: query.unit };
  const promql = queryPromQL(query, config);
  const params = new URLSearchParams({
    query: promql,
    start: String(options.window.start.getTime() / 1000),
    end: String(options.window.end.getTime() / 1000),
    step: String(step),
  });
  try {
    const body = await getJson(`${base(options.url)}/api/v1/query_range?${params}`, options.timeoutMs ?? 30_000);
    if (body.status !== 'success') return { ...head, query: promql, status: 'error', error: body.error ?? 'query failed', series: [] };
    const series: MetricSeries[] = (body.data?.result ?? []).map((r) => ({
      labels: r.metric,
      points: (r.values ?? []).map(([t, v]) => [t, finiteOrNull(Number(v))]),
    }));
    return { ...head, query: promql, status: resultStatus(series), series };
  } catch (err) {
    return { ...head, query: promql, status: 'error', error: (err as Error).message.split('\n')[0], series: [] };
  }
}

export async function fetchServerMetrics(options: PrometheusFetchOptions): Promise<ServerMetricsSnapshot> {
  const config = options.config ?? defaultQueryConfig();
  const { start, end } = options.window;
  if (!(end.getTime() > start.getTime())) throw new UsageError(`empty metrics window ${start.toISOString()}..${end.toISOString()}`);
  await checkPrometheus(options.url);
  const step = config.stepSeconds ?? defaultStepSeconds((end.getTime() - start.getTime()) / 1000);
  const results: QueryResult[] = new Array(config.queries.length);
  let next = 0;
  const lane = async () => {
    while (next < config.queries.length) {
      const index = next++;
      results[index] = await runQuery(config.queries[index]!, config, options, step);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, lane));
  return {
    schemaVersion: SERVER_METRICS_SCHEMA_VERSION,
    source: { kind: 'prometheus', endpoints: [options.url] },
    window: { start: start.toISOString(), end: end.toISOString() },
    stepSeconds: step,
    collectedAt: new Date().toISOString(),
    results,
  };
}

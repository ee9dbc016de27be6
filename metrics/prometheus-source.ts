import { UsageError } from '../core/errors.js';
import { queryNames } from './families.js';
import { base, getJson } from './prometheus-api.js';
import { awaitScrapesAfter, discover, inLanes, type Discovery } from './prometheus-discovery.js';
import { finiteOrNull, resultStatus, SERVER_METRICS_SCHEMA_VERSION, type MetricSeries, type QueryResult, type ServerMetricsSnapshot } from './prometheus-snapshot.js';
import { formatDuration, parseDurationSeconds, rateWindowFor, stepFor } from './rate-window.js';
import { defaultQueryConfig, queryPromQL, type QueryConfig, type QuerySpec } from './server-queries.js';

/** Range queries against a Prometheus server over the run; one result per query. */

export interface PrometheusFetchOptions {
  url: string;
  /** The run: t0 to its end. The range queried starts one rate window before t0. */
  run: { start: Date; end: Date };
  config?: QueryConfig;
  /** `--scrape-interval`: used when Prometheus does not report one. */
  scrapeIntervalSeconds?: number;
  /** `--rate-window`: overrides the window from the scrape interval (and a config's rateWindow). */
  rateWindowSeconds?: number;
  timeoutMs?: number;
  /** Parallel queries: Prometheus is shared with production dashboards, keep it gentle. */
  concurrency?: number;
  log?: (line: string) => void;
}

interface MatrixData {
  resultType: string;
  result: { metric: Record<string, string>; values?: [number, string][] }[];
}

/** Fails with one actionable line when the URL is not a reachable Prometheus. */
export async function checkPrometheus(url: string, timeoutMs = 10_000): Promise<void> {
  try {
    const body = await getJson<unknown>(`${base(url)}/api/v1/query?query=vector(1)`, timeoutMs);
    if (body.status !== 'success') throw new Error(body.error ?? 'query failed');
  } catch (err) {
    throw new UsageError(`cannot query Prometheus at ${url}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Names the query reads that no target exports; [] when all are exported; undefined when that could
 * not be told for some name (then an empty result stays `missing`, as before this was known).
 */
function absentOf(names: string[] | undefined, discovery: Discovery): string[] | undefined {
  if (!names) return undefined;
  const states = names.map((n) => [n, discovery.exported.get(n)] as const);
  const absent = states.filter(([, e]) => e === false).map(([n]) => n);
  if (absent.length) return absent;
  return states.some(([, e]) => e === undefined) ? undefined : [];
}

async function runQuery(query: QuerySpec, promql: string, range: { start: number; end: number; step: number }, options: PrometheusFetchOptions, discovery: Discovery): Promise<QueryResult> {
  const head = { id: query.id, group: query.group, title: query.title, unit: query.unit, query: promql };
  const params = new URLSearchParams({ query: promql, start: String(range.start), end: String(range.end), step: String(range.step) });
  try {
    const body = await getJson<MatrixData>(`${base(options.url)}/api/v1/query_range?${params}`, options.timeoutMs ?? 30_000);
    if (body.status !== 'success') return { ...head, status: 'error', error: body.error ?? 'query failed', series: [] };
    const series: MetricSeries[] = (body.data?.result ?? []).map((r) => ({
      labels: r.metric,
      points: (r.values ?? []).map(([t, v]) => [t, finiteOrNull(Number(v))]),
    }));
    const absent = absentOf(queryNames(query), discovery);
    const status = resultStatus(series, absent);
    return { ...head, status, ...(status === 'missing' && absent?.length ? { absent } : {}), series };
  } catch (err) {
    return { ...head, status: 'error', error: (err as Error).message.split('\n')[0], series: [] };
  }
}

export async function fetchServerMetrics(options: PrometheusFetchOptions): Promise<ServerMetricsSnapshot> {
  const config = options.config ?? defaultQueryConfig();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const t0 = options.run.start.getTime() / 1000;
  const end = options.run.end.getTime() / 1000;
  if (!(end > t0)) throw new UsageError(`empty metrics window ${options.run.start.toISOString()}..${options.run.end.toISOString()}`);
  await checkPrometheus(options.url);

  const names = config.queries.flatMap((q) => queryNames(q) ?? []);
  const discovery = await discover({ url: options.url, names, range: { start: t0, end }, flagScrapeSeconds: options.scrapeIntervalSeconds, timeoutMs });
  const scrape = discovery.scrape;
  if (options.scrapeIntervalSeconds && scrape.source !== '--scrape-interval' && scrape.seconds !== options.scrapeIntervalSeconds) {
    options.log?.(`Prometheus scrapes these targets every ${scrape.seconds} s; using that, not --scrape-interval ${options.scrapeIntervalSeconds}`);
  }
  const step = config.stepSeconds ?? stepFor(end - t0, scrape.seconds);
  const window = options.rateWindowSeconds ?? (config.rateWindow ? parseDurationSeconds(config.rateWindow)! : rateWindowFor(scrape.seconds, step));
  const rateWindow = formatDuration(window);

  // The run's last seconds must be in Prometheus before it is asked about them.
  if (end * 1000 > Date.now() - 2 * scrape.seconds * 1000) {
    const caughtUp = await awaitScrapesAfter(options.url, end * 1000, discovery.exporters, scrape.seconds, timeoutMs);
    if (!caughtUp) options.log?.(`Prometheus had not scraped every target past the run's end; its last ${scrape.seconds} s may be incomplete`);
  }

  // One window before t0: the first point at t0 is already a full window (of the idle server).
  const range = { start: t0 - window, end, step };
  const results: QueryResult[] = new Array(config.queries.length);
  await inLanes(
    config.queries.map((q, i) => [q, i] as const),
    options.concurrency ?? 4,
    async ([query, index]) => {
      let promql: string;
      try {
        promql = queryPromQL(query, config, rateWindow);
      } catch (err) {
        results[index] = { id: query.id, group: query.group, title: query.title, unit: query.unit, query: '', status: 'error', error: (err as Error).message, series: [] };
        return;
      }
      results[index] = await runQuery(query, promql, range, options, discovery);
    },
  );
  return {
    schemaVersion: SERVER_METRICS_SCHEMA_VERSION,
    source: { kind: 'prometheus', endpoints: [options.url] },
    window: { start: new Date(range.start * 1000).toISOString(), end: options.run.end.toISOString() },
    stepSeconds: step,
    collectedAt: new Date().toISOString(),
    rateWindowSeconds: window,
    scrapeIntervalSeconds: scrape.seconds,
    scrapeIntervalSource: options.rateWindowSeconds ? `${scrape.source}; window from --rate-window` : config.rateWindow ? `${scrape.source}; window from the query config` : scrape.source,
    results,
  };
}

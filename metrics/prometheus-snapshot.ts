import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Group, Unit } from './server-queries.js';

/**
 * `server-metrics.json`: what the server and workers did during the run, saved next to result.json so
 * `bench report DIR` works from files alone (Prometheus retention is short).
 *
 *   { schemaVersion: 2,
 *     source: { kind: 'prometheus' | 'scrape', endpoints: string[] },
 *     window: { start: ISO, end: ISO }, stepSeconds, collectedAt: ISO,
 *     rateWindowSeconds, scrapeIntervalSeconds, scrapeIntervalSource,
 *     results: [{ id, group, title, unit, query, status: 'ok' | 'zero' | 'missing' | 'error', error?, absent?,
 *                 series: [{ labels: {k: v}, points: [[unixSeconds, value | null], ...] }] }] }
 *
 * Status: `ok` has series; `zero` means every metric family the query reads is exported but nothing
 * matched in the window (no events: a rate of 0); `missing` means a family is exported by no target
 * (`absent` names it: not exported, or named differently on this cluster), never drawn as zero;
 * `error` means the query failed. A null value is a step where the value was undefined (e.g. a
 * quantile with no observations). Each point of a range query covers the window in its PromQL
 * (`[8s]`): `rateWindowSeconds`. Version 1 files (no zero status, window `[1m]` in the query text,
 * window = the steady window) are still read.
 */
export const SERVER_METRICS_SCHEMA_VERSION = 2;
const readableVersions = [1, 2];
export const SERVER_METRICS_FILE = 'server-metrics.json';

export type Point = [number, number | null];

export interface MetricSeries {
  labels: Record<string, string>;
  points: Point[];
}

export type QueryStatus = 'ok' | 'zero' | 'missing' | 'error';

export interface QueryResult {
  id: string;
  group: Group;
  title: string;
  unit: Unit;
  /** The PromQL run (or, for direct scrapes, the expression it stands for). */
  query: string;
  status: QueryStatus;
  error?: string;
  /** Metric (sample) names the query reads that no target exported: why it is `missing`. */
  absent?: string[];
  series: MetricSeries[];
}

export interface ServerMetricsSnapshot {
  schemaVersion: number;
  source: { kind: 'prometheus' | 'scrape'; endpoints: string[] };
  /** The range queried: one rate window before the run's t0 to its end (v1: the steady window). */
  window: { start: string; end: string };
  stepSeconds: number;
  collectedAt: string;
  /** The range-vector window of every rate and quantile (v2). */
  rateWindowSeconds?: number;
  scrapeIntervalSeconds?: number;
  /** Where the scrape interval came from, e.g. "Prometheus targets", "--scrape-interval", "default". */
  scrapeIntervalSource?: string;
  results: QueryResult[];
}

/**
 * A query's status from its series and the exported-ness of the families it reads: `absent`
 * undefined means that could not be told (old Prometheus, raw PromQL), so no series stays `missing`.
 */
export function resultStatus(series: MetricSeries[], absent?: string[]): QueryStatus {
  if (series.length > 0) return 'ok';
  return absent && absent.length === 0 ? 'zero' : 'missing';
}

/** Non-finite values (NaN from 0/0 or an empty histogram) are unknown, not zero. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function writeServerMetrics(dir: string, snapshot: ServerMetricsSnapshot): string {
  const file = path.join(dir, SERVER_METRICS_FILE);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(snapshot)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Reads server-metrics.json from a results dir; undefined when there is none. */
export function readServerMetrics(dir: string): ServerMetricsSnapshot | undefined {
  const file = path.join(dir, SERVER_METRICS_FILE);
  if (!fs.existsSync(file)) return undefined;
  let parsed: ServerMetricsSnapshot;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ServerMetricsSnapshot;
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!readableVersions.includes(parsed?.schemaVersion) || !Array.isArray(parsed.results)) {
    throw new UsageError(`${file} has schemaVersion ${String(parsed?.schemaVersion)}; this harness reads ${readableVersions.join(' and ')}`);
  }
  return parsed;
}

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors.js';
import type { Group, Unit } from './server-queries.js';

/**
 * `server-metrics.json`: what the server and workers did during the run window, saved next to
 * result.json so `bench report DIR` works from files alone (Prometheus retention is short).
 *
 *   { schemaVersion: 1,
 *     source: { kind: 'prometheus' | 'scrape', endpoints: string[] },
 *     window: { start: ISO, end: ISO }, stepSeconds, collectedAt: ISO,
 *     results: [{ id, group, title, unit, query, status: 'ok' | 'missing' | 'error', error?,
 *                 series: [{ labels: {k: v}, points: [[unixSeconds, value | null], ...] }] }] }
 *
 * `missing` means the metric had no series in the window (not exported, or renamed on this cluster);
 * it is shown as missing, never as zero. A null value is a step where the value was undefined (e.g.
 * a quantile with no observations).
 */
export const SERVER_METRICS_SCHEMA_VERSION = 1;
export const SERVER_METRICS_FILE = 'server-metrics.json';

export type Point = [number, number | null];

export interface MetricSeries {
  labels: Record<string, string>;
  points: Point[];
}

export interface QueryResult {
  id: string;
  group: Group;
  title: string;
  unit: Unit;
  /** The PromQL run (or, for direct scrapes, the expression it stands for). */
  query: string;
  status: 'ok' | 'missing' | 'error';
  error?: string;
  series: MetricSeries[];
}

export interface ServerMetricsSnapshot {
  schemaVersion: typeof SERVER_METRICS_SCHEMA_VERSION;
  source: { kind: 'prometheus' | 'scrape'; endpoints: string[] };
  window: { start: string; end: string };
  stepSeconds: number;
  collectedAt: string;
  results: QueryResult[];
}

export function resultStatus(series: MetricSeries[]): QueryResult['status'] {
  return series.length > 0 ? 'ok' : 'missing';
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
  if (parsed?.schemaVersion !== SERVER_METRICS_SCHEMA_VERSION || !Array.isArray(parsed.results)) {
    throw new UsageError(`${file} has schemaVersion ${String(parsed?.schemaVersion)}; this harness reads ${SERVER_METRICS_SCHEMA_VERSION}`);
  }
  return parsed;
}

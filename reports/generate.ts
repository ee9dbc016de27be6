import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { fetchServerMetrics } from '../metrics/prometheus-source.js';
import { readServerMetrics, writeServerMetrics, type ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import { formatDuration } from '../metrics/rate-window.js';
import { loadQueryConfig } from '../metrics/server-queries.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { loadResult } from '../recorder/load.js';
import { renderMarkdown } from './markdown.js';
import { buildModel } from './model.js';
import type { Recommendation } from './recommendations/index.js';
import { runPhases, windowWarning } from './server-window.js';
import type { Verdict } from './verdict.js';

export interface ReportOptions {
  /** Query this Prometheus over the run window and (re)write server-metrics.json first. */
  prometheusUrl?: string;
  /** JSON file overriding the server queries (label names, matchers, PromQL). */
  queriesFile?: string;
  /** Scrape interval to assume when Prometheus does not report one (`--scrape-interval`). */
  scrapeIntervalSeconds?: number;
  /** Fixed rate window instead of the one from the scrape interval (`--rate-window`). */
  rateWindowSeconds?: number;
  /** A snapshot taken during the run (direct-scrape mode): saved as server-metrics.json. */
  serverMetrics?: ServerMetricsSnapshot;
  /** Another run's result.json (or its results dir) to overlay on the percentile spectrum. */
  baseline?: string;
  /** Where to write report.html, summary.md, junit.xml (default: the results dir). */
  outDir?: string;
  log?: (line: string) => void;
}

export interface ReportOutputs {
  html: string;
  markdown: string;
  junit: string;
  serverMetrics?: string;
  verdict: Verdict;
  recommendations: Recommendation[];
}

/**
 * Turns a results dir into report.html, summary.md and junit.xml, from files alone unless a
 * Prometheus URL (or a snapshot) is given. Bad input throws UsageError with one line.
 */
export async function generateReport(dir: string, options: ReportOptions = {}): Promise<ReportOutputs> {
  const result = loadResult(dir);
  const resultsDir = fs.statSync(dir).isDirectory() ? dir : path.dirname(dir);
  const baseline = options.baseline ? loadResult(options.baseline) : undefined;

  let server = options.serverMetrics;
  if (options.prometheusUrl) {
    const config = loadQueryConfig(options.queriesFile);
    // Worker panels are about this run's workers, not every SDK process the Prometheus scrapes.
    // ...and their task queue: the server's own system workers (Go SDK, same namespace, 1000 slots each) export the same names.
    config.matchers.sdk ??= { namespace: result.environment.namespace, task_queue: result.environment.taskQueue };
    // bench worker processes (local or pods) label their own metrics with the task queue they serve.
    config.matchers.bench ??= { task_queue_name: result.environment.taskQueue };
    const phases = runPhases(result);
    server = await fetchServerMetrics({
      url: options.prometheusUrl,
      run: { start: new Date(phases.t0 * 1000), end: new Date(phases.end * 1000) },
      config,
      scrapeIntervalSeconds: options.scrapeIntervalSeconds,
      rateWindowSeconds: options.rateWindowSeconds,
      log: options.log,
    });
    const count = (status: string) => server!.results.filter((r) => r.status === status).length;
    options.log?.(
      `server metrics from ${options.prometheusUrl}: ${count('ok')} with data, ${count('zero')} zero (exported, no events), ${count('missing')} missing, ${count('error')} failed; ` +
        `rate window ${formatDuration(server.rateWindowSeconds!)} (scrape interval ${server.scrapeIntervalSeconds} s, ${server.scrapeIntervalSource})`,
    );
  }
  let serverMetrics: string | undefined;
  if (server) serverMetrics = writeServerMetrics(resultsDir, server);
  else server = readServerMetrics(resultsDir);
  const warning = server && windowWarning(result, server);
  if (warning) options.log?.(warning);

  const model = buildModel(result, { baseline, server });
  const outDir = options.outDir ?? resultsDir;
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new UsageError(`cannot create ${outDir}: ${(err as Error).message}`);
  }
  const write = (name: string, content: string) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  return {
    html: write('report.html', renderHtml(model)),
    markdown: write('summary.md', renderMarkdown(model)),
    junit: write('junit.xml', renderJunit(model)),
    serverMetrics,
    verdict: model.verdict,
    recommendations: model.recommendations,
  };
}

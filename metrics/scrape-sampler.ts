import { UsageError } from '../core/errors.js';
import { SERVER_METRICS_SCHEMA_VERSION, type ServerMetricsSnapshot } from './prometheus-snapshot.js';
import { declaredFamilies, indexSamples, parseExposition, ScrapeEvaluator, type Sample } from './scrape.js';
import { defaultQueryConfig, type QueryConfig } from './server-queries.js';

/**
 * Direct-scrape mode for clusters without a Prometheus server: reads the `/metrics` endpoints every
 * interval during a run and turns the deltas into the same server-metrics.json a Prometheus source
 * writes. Each endpoint's samples carry an `instance` label so per-process counters stay separate
 * until the query sums them.
 */

export interface DirectScrapeOptions {
  urls: string[];
  intervalMs?: number;
  config?: QueryConfig;
}

export interface DirectScrape {
  /** Takes one last scrape, stops, and returns the snapshot over first..last scrape. */
  stop(): Promise<ServerMetricsSnapshot>;
  /** Endpoint failures so far (a failed endpoint leaves a gap, not a zero). */
  readonly failures: number;
}

async function scrapeAll(urls: string[], timeoutMs: number): Promise<{ samples: Sample[]; declared: Set<string>; failed: number }> {
  const samples: Sample[] = [];
  const declared = new Set<string>();
  let failed = 0;
  await Promise.all(
    urls.map(async (url) => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const text = await res.text();
        for (const s of parseExposition(text)) samples.push({ ...s, labels: { ...s.labels, instance: url } });
        for (const family of declaredFamilies(text)) declared.add(family);
      } catch {
        failed++;
      }
    }),
  );
  return { samples, declared, failed };
}

/** Scrapes once now (so a bad URL fails fast) and then every interval until stop(). */
export async function startDirectScrape(options: DirectScrapeOptions): Promise<DirectScrape> {
  if (options.urls.length === 0) throw new UsageError('direct scrape needs at least one /metrics URL');
  const intervalMs = options.intervalMs ?? 5000;
  const evaluator = new ScrapeEvaluator(options.config ?? defaultQueryConfig(), intervalMs / 1000);
  let failures = 0;
  let first: number | undefined;
  let last = 0;
  let chain: Promise<void> = Promise.resolve();

  const tick = () => {
    chain = chain.then(async () => {
      const t = Date.now() / 1000;
      const { samples, declared, failed } = await scrapeAll(options.urls, Math.max(1000, intervalMs - 100));
      failures += failed;
      if (failed === options.urls.length) return;
      evaluator.add(t, indexSamples(samples), declared);
      first ??= t;
      last = t;
    });
    return chain;
  };

  await tick();
  if (first === undefined) throw new UsageError(`cannot scrape any of ${options.urls.join(', ')}`);
  const timer = setInterval(tick, intervalMs);
  return {
    get failures() {
      return failures;
    },
    async stop() {
      clearInterval(timer);
      await tick();
      return {
        schemaVersion: SERVER_METRICS_SCHEMA_VERSION,
        source: { kind: 'scrape', endpoints: options.urls },
        window: { start: new Date(first! * 1000).toISOString(), end: new Date(last * 1000).toISOString() },
        stepSeconds: intervalMs / 1000,
        collectedAt: new Date().toISOString(),
        // Each point is the increase since the scrape before: the window is the interval.
        rateWindowSeconds: intervalMs / 1000,
        scrapeIntervalSeconds: intervalMs / 1000,
        scrapeIntervalSource: 'direct scrape',
        results: evaluator.results(),
      };
    },
  };
}

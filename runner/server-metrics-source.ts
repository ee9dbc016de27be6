import type { ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import { startDirectScrape, type DirectScrape } from '../metrics/scrape-sampler.js';
import type { StackState } from '../stack/state.js';

/** Where the report's server panels come from: a Prometheus to query after the run, or a snapshot scraped during it. */
export interface ServerMetricsSource {
  prometheusUrl?: string;
  snapshot?: ServerMetricsSnapshot;
}

type Log = (line: string) => void;

/**
 * The local stack's Prometheus when it has one. An embedded stack without one (Prometheus not
 * installed) is scraped directly at its /metrics for the length of the run, so a first run still has
 * its server panels; a stack someone started with --no-prometheus is left as they chose.
 */
export async function serverMetricsSource(stack: StackState | undefined, embedded: boolean, log: Log): Promise<{ finish: () => Promise<ServerMetricsSource> }> {
  if (!stack || stack.prometheusUrl || !embedded || stack.metricsUrls.length === 0) return { finish: async () => ({ prometheusUrl: stack?.prometheusUrl }) };
  let scrape: DirectScrape | undefined;
  try {
    // Every 5 s: a 512-shard server's page is large, and parsing it is the coordinator's time.
    scrape = await startDirectScrape({ urls: stack.metricsUrls, intervalMs: 5000 });
  } catch (err) {
    log(`server metrics: ${(err as Error).message.split('\n')[0]}; the report has no server panels`);
  }
  let done: Promise<ServerMetricsSource> | undefined;
  // Idempotent: the run calls it for the report, and its cleanup calls it again on any way out.
  return { finish: () => (done ??= scrape ? scrape.stop().then((snapshot) => ({ snapshot })) : Promise.resolve({})) };
}

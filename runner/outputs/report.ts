import type { FinishedRun, RunOutput } from '../output.js';

export interface ReportOptions {
  /** A baseline result overlaid on the spectrum. */
  baseline?: string;
  /** --prometheus-url: the Prometheus to query instead of the run's own server metrics. */
  prometheusUrl?: string;
  scrapeIntervalSeconds?: number;
  rateWindowSeconds?: number;
}

/** The run's report (HTML and Markdown) from result.json and the server metrics, while the stack still runs. */
export function reportOutput(options: ReportOptions, log: (line: string) => void): RunOutput {
  return {
    name: 'report',
    finish: async (run: FinishedRun) => {
      const own = await run.serverMetrics();
      const server = options.prometheusUrl ? { prometheusUrl: options.prometheusUrl } : own;
      if (server.snapshot) log(`server metrics: scraped directly from ${server.snapshot.source.endpoints.length} /metrics endpoint(s) during the run (no Prometheus)`);
      const { baseline, scrapeIntervalSeconds, rateWindowSeconds } = options;
      // Loaded when the run has ended: the report's ~50 modules are not in the heap the load runs beside.
      const { generateReport } = await import('../../reports/generate.js');
      const report = await generateReport(run.outDir, { prometheusUrl: server.prometheusUrl, serverMetrics: server.snapshot, baseline, log, scrapeIntervalSeconds, rateWindowSeconds });
      log(`report: ${report.html}`);
    },
  };
}

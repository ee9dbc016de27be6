import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/errors.js';

interface ReportArgs {
  dir: string;
  'prometheus-url'?: string;
  queries?: string;
  baseline?: string;
  out?: string;
  'scrape-interval'?: string;
  'rate-window'?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'Render report.html, summary.md and junit.xml from a results directory (files alone, or refreshed from Prometheus)',
  builder: (y) =>
    y.positional('dir', { type: 'string', demandOption: true, describe: 'results directory holding result.json' }).options({
      'prometheus-url': { type: 'string', describe: 'query this Prometheus over the run window and rewrite server-metrics.json' },
      queries: { type: 'string', describe: 'JSON file overriding server queries (labels, matchers, PromQL)' },
      'scrape-interval': { type: 'string', describe: "Prometheus' scrape interval, e.g. 30s, when its targets API does not report one (sets the rate window)" },
      'rate-window': { type: 'string', describe: 'range-vector window of every rate, e.g. 2m (default: max(step + scrape, 4 × scrape interval), like Grafana)' },
      baseline: { type: 'string', describe: "another run's result.json or results dir to overlay" },
      out: { type: 'string', describe: 'output directory (default: the results dir)' },
    }),
  handler: async (args) => {
    // Loaded on use: `bench --help` and the other commands need none of it.
    const { generateReport } = await import('../../reports/generate.js');
    const { secondsFlag } = await import('../../metrics/rate-window.js');
    const seconds = (flag: 'scrape-interval' | 'rate-window') => {
      try {
        return secondsFlag(args[flag], `--${flag}`);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    };
    const out = await generateReport(args.dir, {
      prometheusUrl: args['prometheus-url'],
      queriesFile: args.queries,
      scrapeIntervalSeconds: seconds('scrape-interval'),
      rateWindowSeconds: seconds('rate-window'),
      baseline: args.baseline,
      outDir: args.out,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${out.verdict.headline}\n${out.html}\n${out.markdown}\n${out.junit}\n`);
  },
};

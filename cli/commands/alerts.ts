import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/errors.js';

interface AlertsArgs {
  dir: string;
  for: string;
  'rate-window': string;
  'rate-share': number;
  'k8s-namespace': string;
  'rule-label': string[];
  out?: string;
  'stack-dir'?: string;
}

/** `key=value` pairs (the PrometheusRule's labels the Operator's ruleSelector matches). */
function labelPairs(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((p) => {
      const m = /^([A-Za-z0-9][\w./-]*)=([\w.-]*)$/.exec(p);
      if (!m) throw new UsageError(`--rule-label ${JSON.stringify(p)}: expected key=value, e.g. release=prometheus`);
      return [m[1]!, m[2]!];
    }),
  );
}

export const alertsCommand: CommandModule<object, AlertsArgs> = {
  command: 'alerts <dir>',
  describe: 'Write alerts.yaml (PrometheusRule), alerts.rules.yml and promtool tests from a finished capacity search or run',
  builder: (y) =>
    y.positional('dir', { type: 'string', demandOption: true, describe: 'output directory of bench capacity (capacity.json) or bench run (result.json)' }).options({
      for: { type: 'string', default: '5m', describe: 'how long a condition must hold before an alert fires' },
      'rate-window': { type: 'string', default: '5m', describe: 'range of every rate() in the rules' },
      'rate-share': { type: 'number', default: 0.8, describe: 'the start-rate alert fires above this share of the sustainable rate' },
      'k8s-namespace': { type: 'string', default: 'temporal', describe: 'metadata.namespace of the PrometheusRule' },
      'rule-label': { type: 'string', array: true, default: [], describe: "label of the PrometheusRule, key=value (repeatable; what the Operator's ruleSelector matches)" },
      out: { type: 'string', describe: 'where the files go (default: the directory itself)' },
      'stack-dir': { type: 'string', describe: "also load the rules into this local stack's Prometheus (and reload it)" },
    }),
  handler: async (args) => {
    const { promDurationArg, writeAlertsFor, loadIntoStack } = await import('../../monitoring/alerts.js');
    const share = args['rate-share'];
    if (!(share > 0 && share <= 1)) throw new UsageError(`--rate-share ${share}: expected a share in (0, 1], e.g. 0.8`);
    const options = { for: promDurationArg('for', args.for), rateWindow: promDurationArg('rate-window', args['rate-window']), rateShare: share };
    const meta = { namespace: args['k8s-namespace'], labels: labelPairs(args['rule-label']) };
    let prometheusUrl: string | undefined;
    if (args['stack-dir']) {
      const { readState } = await import('../../stack/state.js');
      prometheusUrl = readState(args['stack-dir'])?.prometheusUrl;
      if (!prometheusUrl) throw new UsageError(`--stack-dir ${args['stack-dir']}: no running stack with Prometheus there (bench stack up --dir ${args['stack-dir']})`);
    }
    const written = writeAlertsFor(args.dir, { options, meta, outDir: args.out });
    for (const s of written.skipped) process.stderr.write(`alerts: not set: ${s.alert}: ${s.why}\n`);
    if (prometheusUrl) process.stderr.write(`alerts: loaded into ${prometheusUrl} from ${await loadIntoStack(args['stack-dir']!, prometheusUrl, written)}\n`);
    process.stderr.write(`alerts: ${written.alerts.length} rules from ${written.measured.kind} ${written.measured.id}: ${written.files.join(', ')}\n`);
  },
};

import path from 'node:path';
import type { CommandModule } from 'yargs';
import { connectionOptions } from '../connection-options.js';
import type { ConnectionArgs } from '../../core/connection.js';
import { resolveClusterConnection } from '../../stack/tls-pickup.js';

interface MergeArgs extends ConnectionArgs {
  dirs: string[];
  out: string;
  'prometheus-url'?: string;
  reconcile: boolean;
  wait?: string;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'Merge the result directories of a split run (bench run --segment I/N) into one result.json, .hlog and report; reconciles the whole run',
  builder: (y) =>
    connectionOptions(
      y.positional('dirs', { type: 'string', array: true, demandOption: true, describe: "every segment's results directory" }).options({
        out: { type: 'string', demandOption: true, describe: 'directory for the merged run (refused when it exists and is not empty)' },
        'prometheus-url': { type: 'string', describe: 'Prometheus for the server panels of the merged report' },
        wait: { type: 'string', describe: 'wait up to this long (e.g. 10m) for every segment to finish writing; an absent one then counts as missing' },
        reconcile: { type: 'boolean', default: true, describe: "reconcile the whole run and check the segments' clocks on the cluster (--no-reconcile: files alone)" },
      }),
    ) as never,
  handler: async (args) => {
    // Loaded on use: `bench --help` and the other commands need none of it.
    const { mergeRun } = await import('../../merge/merge.js');
    const { generateReport } = await import('../../reports/generate.js');
    const { parsePositiveDurationMs } = await import('../../scenarios/duration.js');
    const log = (line: string) => process.stderr.write(`${line}\n`);
    // The cluster defaults to the segments' own; flags or TEMPORAL_* variables override it.
    const given = resolveClusterConnection(args);
    const outDir = path.resolve(args.out);
    const connection = { tls: given.tls, apiKey: given.apiKey, ...(given.address ? { address: given.address } : {}), ...(args.namespace || process.env.TEMPORAL_NAMESPACE ? { namespace: given.namespace } : {}) };
    const waitMs = args.wait === undefined ? undefined : parsePositiveDurationMs(args.wait, '--wait');
    const { result, code } = await mergeRun({ dirs: args.dirs, outDir, connection, reconcile: args.reconcile, waitMs, log });
    const s = result.summary;
    log(
      `merged run ${result.runId}: ${s.startedOk} started (${s.achievedRate}/s of ${s.targetRate}/s), reconciled completed ${s.reconciliation?.completed}, unaccounted ${s.reconciliation?.unaccounted}${s.valid ? '' : `; INVALID: ${s.invalidReasons.join('; ')}`}`,
    );
    await generateReport(outDir, { prometheusUrl: args['prometheus-url'], log }).catch((err: Error) => log(`report: ${err.message.split('\n')[0]}`));
    process.stdout.write(`${path.join(outDir, 'result.json')}\n`);
    process.exitCode = code;
  },
};

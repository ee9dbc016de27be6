import type { CommandModule } from 'yargs';
import { connectionOptions } from '../connection-options.js';
import type { ConnectionArgs } from '../../core/connection.js';
import { resolveClusterConnection } from '../../stack/tls-pickup.js';
import { UsageError } from '../../core/errors.js';

interface SetupArgs extends ConnectionArgs {
  retention: string;
  'allow-production': boolean;
  json: boolean;
}

export const setupCommand: CommandModule<object, SetupArgs> = {
  command: 'setup',
  describe: 'Prepare a cluster for bench runs: register the namespace if missing (never changes an existing one), check the server, print a readiness table',
  builder: (y) =>
    connectionOptions(y).options({
      retention: { type: 'string', default: '24h', describe: 'retention of a namespace setup registers (whole hours, e.g. 24h, 3d)' },
      'allow-production': { type: 'boolean', default: false, describe: 'allow namespaces outside the allow-list (production pnats)' },
      json: { type: 'boolean', default: false, describe: 'print the readiness report as JSON' },
    }) as never,
  handler: async (args) => {
    const { parseDurationMs } = await import('../../scenarios/duration.js');
    const { checkNamespace } = await import('../../runner/guardrails.js');
    const connection = resolveClusterConnection(args);
    if (!connection.address) throw new UsageError('bench setup needs --address HOST:PORT (a local stack registers its own namespaces)');
    checkNamespace(connection.namespace, args['allow-production']);
    const retentionMs = parseDurationMs(args.retention, '--retention');
    if (!(retentionMs >= 3600_000 && retentionMs % 3600_000 === 0)) throw new UsageError(`--retention ${args.retention}: expected whole hours of at least 1h, e.g. 24h or 3d`);
    const { connectTo } = await import('../../runner/environment.js');
    const { checkReadiness, renderReadiness } = await import('../../setup/readiness.js');
    const { defaultServerVersion } = await import('../../stack/options.js');
    const client = await connectTo({ ...connection, address: connection.address });
    try {
      const report = await checkReadiness(client, connection.address, connection.namespace, retentionMs / 3600_000, defaultServerVersion);
      process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReadiness(report)}\n`);
      if (report.checks.some((c) => c.status === 'fail')) process.exitCode = 1;
    } finally {
      await client.close();
    }
  },
};

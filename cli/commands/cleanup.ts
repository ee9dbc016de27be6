import type { CommandModule } from 'yargs';
import { connectionOptions } from '../connection-options.js';
import type { ConnectionArgs } from '../../core/connection.js';
import { resolveClusterConnection } from '../../stack/tls-pickup.js';
import { UsageError } from '../../core/errors.js';
import { checkNamespace } from '../../runner/guardrails.js';

export const cleanupCommand: CommandModule = {
  command: 'cleanup',
  describe: "Terminate a run's workflows that are still running (task queue bench-<run-id>)",
  builder: (y) =>
    connectionOptions(y).options({
      'run-id': { type: 'string', demandOption: true, describe: 'the run to clean up' },
      'allow-production': { type: 'boolean', default: false, describe: 'allow namespaces outside the allow-list' },
    }),
  handler: async (args) => {
    const runId = args['run-id'] as string;
    if (!/^[A-Za-z0-9][\w.-]{0,62}$/.test(runId)) throw new UsageError(`--run-id ${JSON.stringify(runId)} is not a run id`);
    const config = resolveClusterConnection(args as ConnectionArgs);
    if (!config.address) throw new UsageError('bench cleanup needs --address (or TEMPORAL_ADDRESS)');
    checkNamespace(config.namespace, args['allow-production'] as boolean);
    const target = { ...config, address: config.address };
    // Loaded on use: the SDK client takes most of a second to load, which `bench --help` must not pay.
    const { Connection } = await import('@temporalio/client');
    const { checkTarget } = await import('../../runner/environment.js');
    const { countByStatus, terminateLeftovers } = await import('../../runner/reconcile.js');
    await checkTarget(target);
    const connection = await Connection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
    try {
      const taskQueue = `bench-${runId}`;
      const terminatedNow = await terminateLeftovers(connection.workflowService, config.namespace, taskQueue, `bench cleanup --run-id ${runId}`);
      const counts = await countByStatus(connection.workflowService, config.namespace, taskQueue);
      process.stdout.write(`${JSON.stringify({ runId, terminatedNow, ...counts })}\n`);
    } finally {
      await connection.close();
    }
  },
};

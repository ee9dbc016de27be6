import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { connectionOptions } from '../connection-options.js';
import type { ConnectionArgs } from '../../core/connection.js';
import { resolveClusterConnection } from '../../stack/tls-pickup.js';
import { UsageError } from '../../core/errors.js';

interface ProfileArgs extends ConnectionArgs {
  since: string;
  sample: number;
  'max-rps': number;
  'max-list': number;
  headroom: number;
  duration: string;
  out?: string;
}

const positive = (flag: string, v: number, integer = false) => {
  if (!(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) throw new UsageError(`--${flag} ${v}: expected a positive ${integer ? 'integer' : 'number'}`);
  return v;
};

export const profileCommand: CommandModule<object, ProfileArgs> = {
  command: 'profile',
  describe: 'Read a namespace (read-only: List, Count, GetWorkflowExecutionHistory) and write the scenario that reproduces its workload, with profile.md/html',
  builder: (y) =>
    connectionOptions(y).options({
      since: { type: 'string', default: '24h', describe: 'profile executions started this long ago until now' },
      sample: { type: 'number', default: 200, describe: 'histories read per workflow type (closed executions, spread over the window)' },
      'max-rps': { type: 'number', default: 10, describe: 'its own read calls per second at most' },
      'max-list': { type: 'number', default: 100_000, describe: 'executions listed at most (newest first)' },
      headroom: { type: 'number', default: 1, describe: 'the scenario rate is the observed peak minute × this' },
      duration: { type: 'string', default: '5m', describe: "the scenario's load duration" },
      out: { type: 'string', describe: 'output directory (default results/profile-<namespace>-<time>); must be new or empty' },
    }) as never,
  handler: async (args) => {
    const { parsePositiveDurationMs } = await import('../../scenarios/duration.js');
    const connection = resolveClusterConnection(args);
    if (!connection.address) throw new UsageError('bench profile needs --address HOST:PORT');
    const sinceMs = Date.now() - parsePositiveDurationMs(args.since, '--since');
    const options = {
      sinceMs,
      sample: positive('sample', args.sample, true),
      maxList: positive('max-list', args['max-list'], true),
      headroom: positive('headroom', args.headroom),
      durationS: Math.max(1, Math.round(parsePositiveDurationMs(args.duration, '--duration') / 1000)),
    };
    const maxRps = positive('max-rps', args['max-rps']);
    const out = path.resolve(args.out ?? path.join('results', `profile-${connection.namespace}-${new Date().toISOString().replace(/\D/g, '').slice(0, 12)}`));
    if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new UsageError(`--out ${out} already exists and is not empty: give a new directory`);
    const { connectTo } = await import('../../runner/environment.js');
    const { CallPacer } = await import('../../profile/read.js');
    const { profileNamespace, scenarioOf } = await import('../../profile/profile.js');
    const { writeProfile } = await import('../../profile/render.js');
    const client = await connectTo({ ...connection, address: connection.address });
    const tty = process.stderr.isTTY;
    const progress = (line: string) => (tty ? process.stderr.write(`\r\x1b[K${line}`) : undefined);
    try {
      const profile = await profileNamespace({ service: client.workflowService, namespace: connection.namespace, pacer: new CallPacer(maxRps) }, options, progress).catch((err: Error & { code?: number }) => {
        if (err instanceof UsageError) throw err;
        // NOT_FOUND / INVALID_ARGUMENT: the namespace or the visibility query, i.e. the user's input.
        if (err.code === 5 || err.code === 3) throw new UsageError(`cannot read namespace ${connection.namespace} on ${connection.address}: ${err.message.split('\n')[0]}`);
        throw err;
      });
      if (tty) process.stderr.write('\r\x1b[K');
      const files = writeProfile(out, profile, scenarioOf(profile, options));
      for (const t of profile.types) process.stderr.write(`profile: ${t.type}: ${Math.round(t.share * 1000) / 10}% of starts, peak ${t.perMinute.peak}/min, ${t.sampled} histories\n`);
      process.stderr.write(`profile: ${files.join(', ')}\n`);
    } finally {
      await client.close();
    }
  },
};

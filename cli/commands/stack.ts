import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BenchError, UsageError } from '../../core/errors.js';
import { ensureServerBinaries } from '../../stack/build.js';
import { parseDynamicConfigFlag } from '../../stack/dynamic-config.js';
import { defaultStackDir, defaultStackOptions, parsePostgresUrl, type StackOptions } from '../../stack/options.js';
import { describeDead, stackDown, stackHealth, stackUp } from '../../stack/stack.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

const dirOption = {
  dir: { type: 'string', default: defaultStackDir(), describe: 'Directory of the stack (config, logs, data, state); env BENCH_STACK_DIR' },
} as const;

function upOptions(y: Argv) {
  return y.options({
    ...dirOption,
    'server-version': { type: 'string', default: '1.24.2', describe: 'Temporal server release to build and run' },
    persistence: { choices: ['postgres', 'sqlite'] as const, default: 'postgres' as const, describe: 'postgres (like production) or in-memory sqlite (quick, non-durable)' },
    'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/temporal', describe: 'PostgreSQL server and main database; visibility uses <db>_visibility' },
    'pg-max-conns': { type: 'number', default: 20, describe: 'connections per PostgreSQL pool per service (server default 20)' },
    shards: { type: 'number', default: 512, describe: 'numHistoryShards (production: 512)' },
    topology: { choices: ['single', 'split'] as const, default: 'single' as const, describe: 'one process, or frontend/history/matching/worker as separate processes' },
    replicas: { type: 'number', default: 1, describe: 'history and matching processes with --topology split' },
    port: { type: 'number', default: 7233, describe: 'frontend gRPC port' },
    'internal-port-base': { type: 'number', default: 7234, describe: 'first of the internal gRPC and membership ports' },
    'metrics-port': { type: 'number', default: 8000, describe: 'server metrics port (one per process from here)' },
    'prometheus-port': { type: 'number', default: 9090, describe: 'local Prometheus port' },
    'scrape-interval': { type: 'number', default: 2, describe: 'Prometheus scrape interval in seconds (1-60; 30 behaves like production: report rate windows of 2m)' },
    prometheus: { type: 'boolean', default: true, describe: 'run a local Prometheus (--no-prometheus to skip)' },
    'dynamic-config': { type: 'string', array: true, default: [] as string[], describe: 'dynamic config override key=value[@namespace=ns,...], repeatable' },
    tls: { choices: ['off', 'server', 'mtls'] as const, default: 'off' as const, describe: 'frontend TLS with throwaway certificates in <dir>/tls: server (clients verify the server) or mtls (the server also verifies clients)' },
    'tls-internode': { type: 'boolean', default: false, describe: "with --tls, also mutual TLS between the server's own services" },
  });
}

type UpArgs = Awaited<ReturnType<ReturnType<typeof upOptions>['parseAsync']>>;

function port(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new UsageError(`--${name} must be a port number (1-65535), got ${value}`);
  return value;
}

export function stackOptionsFromArgs(args: UpArgs): StackOptions {
  const base = defaultStackOptions();
  if (!(Number.isInteger(args['scrape-interval']) && args['scrape-interval'] >= 1 && args['scrape-interval'] <= 60)) throw new UsageError(`--scrape-interval must be 1-60 seconds, got ${args['scrape-interval']}`);
  let postgres = base.postgres;
  if (!Number.isInteger(args['pg-max-conns']) || args['pg-max-conns'] < 1) throw new UsageError(`--pg-max-conns must be a positive integer, got ${args['pg-max-conns']}`);
  try {
    postgres = { ...parsePostgresUrl(args['postgres-url'], base.postgres), maxConns: args['pg-max-conns'] };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (args['tls-internode'] && args.tls === 'off') throw new UsageError('--tls-internode needs --tls server or --tls mtls');
  return defaultStackOptions({
    dir: args.dir,
    tls: args.tls === 'off' ? undefined : { mode: args.tls, internode: args['tls-internode'] },
    serverVersion: args['server-version'],
    persistence: args.persistence,
    postgres,
    historyShards: args.shards,
    topology: args.topology,
    replicas: args.replicas,
    frontendPort: port('port', args.port),
    internalPortBase: port('internal-port-base', args['internal-port-base']),
    metricsPort: port('metrics-port', args['metrics-port']),
    prometheusPort: port('prometheus-port', args['prometheus-port']),
    scrapeIntervalSeconds: args['scrape-interval'],
    prometheus: args.prometheus,
    dynamicConfig: args['dynamic-config'].map(parseDynamicConfigFlag),
  });
}

export const stackCommand: CommandModule = {
  command: 'stack <command>',
  describe: 'Run a local Temporal 1.24.2 stack (PostgreSQL or SQLite, 512 shards, Prometheus) like production',
  builder: (y) =>
    y
      .command({
        command: 'up',
        describe: 'Build (once) and start the server, create schemas and namespaces, start Prometheus; idempotent',
        builder: upOptions,
        handler: async (args) => {
          const state = await stackUp(stackOptionsFromArgs(args as unknown as UpArgs), log);
          process.stdout.write(`${state.frontendAddress}\n`);
        },
      })
      .command({
        command: 'build',
        describe: 'Build (or find in the cache) temporal-server and temporal-sql-tool; prints their paths',
        builder: (b) => b.options({ 'server-version': { type: 'string', default: '1.24.2', describe: 'Temporal server release' } }),
        handler: async (args) => {
          const bins = await ensureServerBinaries(args['server-version'] as string, log);
          process.stdout.write(`${bins.server}\n${bins.sqlTool}\n`);
        },
      })
      .command({
        command: 'certs',
        describe: "Create (or keep, while valid) the stack's throwaway CA, server and client certificates; prints their directory (docker compose --profile tls mounts it)",
        builder: (b) => b.options(dirOption),
        handler: async (args) => {
          const { ensureStackCertificates } = await import('../../stack/tls.js');
          const files = ensureStackCertificates(args.dir as string);
          process.stdout.write(`${path.dirname(files.caFile)}\n`);
        },
      })
      .command({
        command: 'down',
        describe: 'Stop every process the stack started; keeps PostgreSQL data unless --wipe',
        builder: (b) => b.options({ ...dirOption, wipe: { type: 'boolean', default: false, describe: 'also drop the databases and Prometheus data' } }),
        handler: async (args) => {
          await stackDown(args.dir as string, args.wipe as boolean, log);
        },
      })
      .command({
        command: 'status',
        describe: 'What runs and where; exit 1 when no stack runs or it died',
        builder: (b) => b.options({ ...dirOption, json: { type: 'boolean', default: false, describe: 'print JSON' } }),
        handler: (args) => {
          const health = stackHealth(args.dir as string);
          const status = health ? { status: health.dead.length ? 'died' : health.state.ready ? 'running' : 'starting', dead: health.dead.map((p) => p.id), ...health.state } : { status: 'stopped', dir: args.dir };
          if (args.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          else if (health) {
            const s = health.state;
            process.stdout.write(
              `${[
                `status:      ${status.status}`,
                `frontend:    ${s.frontendAddress}`,
                `server:      ${s.serverVersion}, ${s.historyShards} shards, ${s.persistence}, ${s.topology}${s.topology === 'split' ? ` x${s.replicas}` : ''}`,
                `metrics:     ${s.metricsUrls.join(' ')}`,
                `prometheus:  ${s.prometheusUrl ?? '(off)'}`,
                `tls:         ${s.tls ? `${s.tls.mode}${s.tls.internode ? ' + internode' : ''}; CA ${s.tls.caFile}; client ${s.tls.certFile} ${s.tls.keyFile}; server name ${s.tls.serverName}` : 'off'}`,
                `processes:   ${s.processes.map((p) => `${p.id}=${p.pid}`).join(' ')}`,
                `dir:         ${s.dir}`,
              ].join('\n')}\n`,
            );
          } else process.stdout.write(`no stack at ${args.dir}\n`);
          if (health?.dead.length) throw new BenchError(`the stack died: ${describeDead(health.dead)}`);
          if (!health) process.exitCode = 1;
        },
      })
      .demandCommand(1, 'name a stack command: up, down, status, certs or build'),
  handler: () => undefined,
};

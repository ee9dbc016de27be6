import type { StackOptions } from './options.js';
import type { ServerProcessSpec } from './topology.js';
import { serviceNames } from './topology.js';
import type { YamlValue } from './yaml.js';
import { certificateFiles, stackServerName, type StackCertificates, type StackTlsOptions } from './tls.js';

/** Where the process runs: on this host (loopback) or in the docker-compose network. */
export interface ServerNetwork {
  bindOnLocalHost: boolean;
  broadcastAddress: string;
  frontendHost: string;
  postgresHost: string;
  metricsHost: string;
}

export const localNetwork: ServerNetwork = {
  bindOnLocalHost: true,
  broadcastAddress: '127.0.0.1',
  frontendHost: '127.0.0.1',
  postgresHost: '',
  metricsHost: '127.0.0.1',
};

function datastore(options: StackOptions, network: ServerNetwork, database: string, maxConns: number): YamlValue {
  if (options.persistence === 'sqlite') {
    return {
      sql: {
        pluginName: 'sqlite',
        databaseName: 'default',
        connectAddr: 'localhost',
        connectProtocol: 'tcp',
        // In-memory, private cache: the server creates its own schema; nothing survives a restart.
        connectAttributes: { mode: 'memory', cache: 'private' },
        maxConns: 1,
        maxIdleConns: 1,
        maxConnLifetime: '1h',
      },
    };
  }
  const pg = options.postgres;
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${network.postgresHost || pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/**
 * global.tls for a TLS stack: the frontend serves the stack's server certificate (and with mtls
 * requires a client certificate from the stack's CA); the system worker, which connects to the
 * frontend like any client, presents the server certificate (it carries clientAuth). Internode, when
 * asked, uses the same pair both ways.
 */
export function renderTls(tls: StackTlsOptions, certs: StackCertificates): YamlValue {
  const server = {
    certFile: certs.serverCertFile,
    keyFile: certs.serverKeyFile,
    requireClientAuth: tls.mode === 'mtls',
    ...(tls.mode === 'mtls' ? { clientCaFiles: [certs.caFile] } : {}),
  };
  const client = { serverName: stackServerName, rootCaFiles: [certs.caFile] };
  return {
    frontend: { server, client },
    systemWorker: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, client },
    ...(tls.internode ? { internode: { server: { ...server, requireClientAuth: true, clientCaFiles: [certs.caFile] }, client } } : {}),
  };
}

/**
 * The server config for one process, following the server's development-postgres12.yaml with the
 * production cluster's shard count and tally Prometheus metrics (so the official dashboards match).
 */
export function renderServerConfig(options: StackOptions, proc: ServerProcessSpec, dynamicConfigFile: string, network: ServerNetwork = localNetwork, certs: StackCertificates = certificateFiles(options.dir)): YamlValue {
  const frontendAddress = `${network.frontendHost}:${options.frontendPort}`;
  const rpc = (s: (typeof serviceNames)[number]) =>
    network.bindOnLocalHost ? { grpcPort: proc.ports[s].grpc, membershipPort: proc.ports[s].membership, bindOnLocalHost: true } : { grpcPort: proc.ports[s].grpc, membershipPort: proc.ports[s].membership, bindOnIP: '0.0.0.0' };
  return {
    log: { stdout: true, level: 'info' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: options.historyShards,
      datastores: {
        default: datastore(options, network, options.postgres.database, options.postgres.maxConns ?? 20),
        visibility: datastore(options, network, options.postgres.visibilityDatabase, Math.max(2, Math.floor((options.postgres.maxConns ?? 20) / 2))),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: network.broadcastAddress },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `${network.metricsHost}:${proc.metricsPort}` },
      },
      ...(options.tls ? { tls: renderTls(options.tls, certs) } : {}),
    },
    services: Object.fromEntries(serviceNames.map((s) => [s, { rpc: rpc(s) }])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontendAddress },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    publicClient: { hostPort: frontendAddress },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '5s' },
  };
}

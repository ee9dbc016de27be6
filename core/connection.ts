import { UsageError } from './errors.js';
import { readTlsFiles } from './tls-files.js';

/**
 * Connection settings shared by `bench worker` and `bench run`. Flags win; the Temporal CLI's
 * environment names (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY) are the
 * fallbacks, so a shell set up for `temporal` works unchanged.
 */
export interface ConnectionConfig {
  /** host:port; undefined means "the embedded local stack". */
  address: string | undefined;
  namespace: string;
  tls?: { serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer }; serverNameOverride?: string };
  apiKey?: string;
  /** Where the TLS files came from, for error messages. */
  tlsFiles?: { ca?: string; cert?: string };
  /** TLS was turned off on purpose (--no-tls): a TLS stack's certificates are not picked up. */
  tlsOff?: boolean;
}

export interface ConnectionArgs {
  address?: string;
  namespace?: string;
  'tls-ca'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-server-name'?: string;
  tls?: boolean;
  'api-key'?: string;
  /** Where to look first for a local stack serving --address (its TLS certificates are used). */
  'stack-dir'?: string;
}

/** The flags every command that talks to a cluster declares (cli/connection-options.ts); --stack-dir is each command's own. */
export type ConnectionFlags = Omit<ConnectionArgs, 'stack-dir'>;

const addressPattern = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function resolveConnection(args: ConnectionArgs, env: NodeJS.ProcessEnv = process.env): ConnectionConfig {
  const address = args.address ?? env.TEMPORAL_ADDRESS;
  if (address !== undefined) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(address);
    if (scheme) throw new UsageError(`--address ${JSON.stringify(address)}: gRPC takes host:port; drop the scheme ${scheme[0]} (e.g. ${address.slice(scheme[0].length).replace(/\/.*$/, '') || 'temporal.pnats.cloud:7233'})`);
    const match = addressPattern.exec(address);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new UsageError(`--address ${JSON.stringify(address)}: expected host:port, e.g. temporal.pnats.cloud:7233`);
  }
  const namespace = args.namespace ?? env.TEMPORAL_NAMESPACE ?? 'bench';
  if (!/^[A-Za-z0-9][\w.-]{0,254}$/.test(namespace)) throw new UsageError(`--namespace ${JSON.stringify(namespace)} is not a valid namespace name`);
  const ca = args['tls-ca'] ?? env.TEMPORAL_TLS_CA;
  const cert = args['tls-cert'] ?? env.TEMPORAL_TLS_CERT;
  const key = args['tls-key'] ?? env.TEMPORAL_TLS_KEY;
  const serverName = args['tls-server-name'] ?? env.TEMPORAL_TLS_SERVER_NAME;
  const apiKey = args['api-key'] ?? env.TEMPORAL_API_KEY;
  const tlsFlag = args.tls ?? (env.TEMPORAL_TLS ? env.TEMPORAL_TLS === 'true' : undefined);
  if ((cert && !key) || (key && !cert)) throw new UsageError('--tls-cert and --tls-key go together: give both or neither');
  if (tlsFlag === false && (ca || cert || apiKey)) throw new UsageError('--no-tls conflicts with --tls-ca/--tls-cert/--api-key');
  const wantsTls = tlsFlag === true || Boolean(ca || cert || serverName || apiKey);
  if (wantsTls && address === undefined) throw new UsageError('TLS and API-key options need --address: the embedded local stack has no TLS');
  const files = wantsTls ? readTlsFiles({ ca, cert, key }) : undefined;
  const tls = files ? { serverRootCACertificate: files.ca, clientCertPair: files.pair, serverNameOverride: serverName } : undefined;
  return { address, namespace, tls, apiKey, tlsOff: tlsFlag === false, tlsFiles: tls ? { ca, cert } : undefined };
}

/** One spelling for addresses of this machine: localhost, [::1] and 0.0.0.0 become 127.0.0.1. */
export const sameHost = (address: string) => address.replace(/^(localhost|\[::1\]|0\.0\.0\.0):/, '127.0.0.1:');

/** HOST:PORT that reaches this machine (loopback, localhost, 0.0.0.0): a server there runs beside the harness. */
export const isThisHost = (address: string) => sameHost(address).startsWith('127.');

import type { Argv } from 'yargs';
import type { ConnectionFlags } from '../core/connection.js';

/** The connection flags of every command that talks to a cluster (resolved by core/connection.ts). */
export function connectionOptions<T>(y: Argv<T>) {
  return y.options({
    address: { type: 'string', describe: 'Temporal frontend host:port (env TEMPORAL_ADDRESS); none: the embedded local stack' },
    namespace: { type: 'string', describe: 'namespace (env TEMPORAL_NAMESPACE; default bench)' },
    'tls-ca': { type: 'string', describe: 'CA certificate file (env TEMPORAL_TLS_CA)' },
    'tls-cert': { type: 'string', describe: 'client certificate file (env TEMPORAL_TLS_CERT)' },
    'tls-key': { type: 'string', describe: 'client key file (env TEMPORAL_TLS_KEY)' },
    'tls-server-name': { type: 'string', describe: 'TLS server name override (env TEMPORAL_TLS_SERVER_NAME)' },
    tls: { type: 'boolean', describe: 'use TLS with system roots (env TEMPORAL_TLS)' },
    'api-key': { type: 'string', describe: 'API key (env TEMPORAL_API_KEY); implies TLS' },
  });
}

/** The values of connectionOptions' flags alone, so the rest of a command's flags go no further than cli/. */
export function connectionFlags(argv: ConnectionFlags): ConnectionFlags {
  return {
    address: argv.address,
    namespace: argv.namespace,
    'tls-ca': argv['tls-ca'],
    'tls-cert': argv['tls-cert'],
    'tls-key': argv['tls-key'],
    'tls-server-name': argv['tls-server-name'],
    tls: argv.tls,
    'api-key': argv['api-key'],
  };
}

import { resolveConnection, type ConnectionArgs, type ConnectionConfig } from '../core/connection.js';
import { findLocalStack } from './find.js';
import type { StackState } from './state.js';
import { stackClientTls } from './tls-client.js';

/**
 * A client of a TLS local stack uses the stack's CA and client pair, as it uses its Prometheus:
 * when no TLS option was given and TLS was not turned off.
 */
export function withStackTls(config: ConnectionConfig, stack: StackState | undefined): ConnectionConfig {
  if (config.tls || config.tlsOff || config.apiKey || !stack?.tls) return config;
  return { ...config, tls: stackClientTls(stack.tls), tlsFiles: { ca: stack.tls.caFile, cert: stack.tls.certFile } };
}

/**
 * The connection of a command that talks to a cluster: flags and environment (core/connection.ts),
 * then, for --address of a running local TLS stack, that stack's certificates.
 */
export function resolveClusterConnection(args: ConnectionArgs, env: NodeJS.ProcessEnv = process.env): ConnectionConfig {
  const config = resolveConnection(args, env);
  return config.address ? withStackTls(config, findLocalStack(config.address, [args['stack-dir']])) : config;
}

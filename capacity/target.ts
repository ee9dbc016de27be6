import { resolveClusterConnection } from '../stack/tls-pickup.js';
import type { ConnectionFlags } from '../core/connection.js';
import { UsageError } from '../core/errors.js';
import { defaultStackDir } from '../stack/options.js';
import { stackHealth } from '../stack/stack.js';
import { findLocalStack } from '../stack/find.js';

export interface CapacityTarget {
  connection: ConnectionFlags & { address: string };
  prometheusUrl?: string;
  /** The local stack serving the address, when there is one: its processes are sampled every step. */
  stackDir?: string;
}

/**
 * Where the search runs: --address, or a running local stack (whose Prometheus then supplies the
 * evidence). A capacity search needs a server that outlives its steps, so it does not start one.
 */
export async function resolveCapacityTarget(args: ConnectionFlags, stackDir: string | undefined, prometheusUrl: string | undefined): Promise<CapacityTarget> {
  const resolved = resolveClusterConnection({ ...args, 'stack-dir': stackDir });
  if (resolved.address) {
    // --address may still be a local stack (the one at --stack-dir, else the default): then its Prometheus and processes are evidence.
    const local = findLocalStack(resolved.address, [stackDir]);
    return { connection: { ...args, address: resolved.address }, prometheusUrl: prometheusUrl ?? local?.prometheusUrl, stackDir: local?.dir };
  }
  const dir = stackDir ?? defaultStackDir();
  const health = stackHealth(dir);
  if (!health || health.dead.length > 0 || !health.state.ready) {
    throw new UsageError(`bench capacity needs --address or a running local stack (none at ${dir}): run bench stack up first`);
  }
  return { connection: { ...args, address: health.state.frontendAddress }, prometheusUrl: prometheusUrl ?? health.state.prometheusUrl, stackDir: dir };
}

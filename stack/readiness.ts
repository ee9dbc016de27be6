import type { Connection, TLSConfig } from '@temporalio/client';
import { UsageError } from '../core/errors.js';
import type { NamespaceSpec } from './options.js';

export interface ClusterInfo {
  serverVersion: string;
  historyShardCount: number;
  clusterName: string;
}

const hour = 3600;

export async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (err) {
      if ((err as { fatal?: boolean }).fatal) throw err;
      lastError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
    // Back off between questions to the server; readiness is what the server answers, not elapsed time.
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function getClusterInfo(connection: Connection): Promise<ClusterInfo> {
  const info = await connection.workflowService.getClusterInfo({});
  return {
    serverVersion: info.serverVersion ?? '',
    historyShardCount: info.historyShardCount ?? 0,
    clusterName: info.clusterName ?? '',
  };
}

/**
 * Waits until the frontend answers its gRPC health check and GetClusterInfo reports the configured
 * shard count (the history service has taken its shards).
 */
export async function waitForServer(address: string, shards: number, timeoutMs: number, stillRunning: () => string | undefined, tls?: TLSConfig): Promise<ClusterInfo> {
  const { Connection } = await loadClient();
  const connection = Connection.lazy({ address, tls, connectTimeout: 2000 });
  try {
    return await poll(`the Temporal frontend at ${address}`, timeoutMs, async () => {
      const dead = stillRunning();
      if (dead) throw Object.assign(new Error(dead), { fatal: true });
      const health = await connection.withDeadline(Date.now() + 2000, () => connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' }));
      if (health.status !== 1) return undefined; // 1 = SERVING
      const info = await connection.withDeadline(Date.now() + 2000, () => getClusterInfo(connection));
      // The shard count is fixed when a database is first initialized: another count never comes.
      if (info.historyShardCount > 0 && info.historyShardCount !== shards) {
        throw Object.assign(new UsageError(`the database was initialized with ${info.historyShardCount} history shards, and ${shards} cannot change that: use another database (--postgres-url) or drop this one`), { fatal: true });
      }
      return info.historyShardCount === shards ? info : undefined;
    }).catch((err: Error & { fatal?: boolean }) => {
      const dead = stillRunning();
      throw dead ? new Error(dead) : err;
    });
  } finally {
    await connection.close();
  }
}

/**
 * Registers each namespace (or updates its retention when it exists) and waits until the frontend's
 * namespace cache serves it, so the first workflow start does not fail with NamespaceNotFound.
 */
export async function ensureNamespaces(address: string, namespaces: NamespaceSpec[], timeoutMs: number, tls?: TLSConfig): Promise<void> {
  const { Connection } = await loadClient();
  const { msToTs } = await import('@temporalio/common/lib/time.js');
  const connection = Connection.lazy({ address, tls });
  const service = connection.workflowService;
  try {
    for (const ns of namespaces) {
      const retention = msToTs(ns.retentionHours * hour * 1000);
      const existing = await service.describeNamespace({ namespace: ns.name }).catch((err: { code?: number }) => {
        if (err.code === 5) return undefined; // NOT_FOUND
        throw err;
      });
      if (!existing) {
        await service.registerNamespace({ namespace: ns.name, workflowExecutionRetentionPeriod: retention }).catch((err: { code?: number }) => {
          if (err.code !== 6) throw err; // ALREADY_EXISTS: registered concurrently
        });
      } else if (Number(existing.config?.workflowExecutionRetentionTtl?.seconds ?? 0) !== ns.retentionHours * hour) {
        await service.updateNamespace({ namespace: ns.name, config: { workflowExecutionRetentionTtl: retention } });
      }
    }
    for (const ns of namespaces) {
      await poll(`namespace ${ns.name} to become usable`, timeoutMs, async () => {
        await service.listOpenWorkflowExecutions({ namespace: ns.name, maximumPageSize: 1 });
        return true;
      });
    }
  } finally {
    await connection.close();
  }
}

/** Loaded on use: the SDK client takes most of a second to load, which `bench --help` must not pay. */
function loadClient(): Promise<typeof import('@temporalio/client')> {
  return import('@temporalio/client');
}

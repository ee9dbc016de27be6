import net from 'node:net';
import { Connection } from '@temporalio/client';
import type { ConnectionConfig } from '../core/connection.js';
import { UsageError } from '../core/errors.js';
import { diagnoseTls } from '../core/tls-diagnosis.js';

const timeoutMs = 5000;

const causes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** A TCP connect first: it names the cause (refused, unknown host) where gRPC only says "deadline". */
function tcpProbe(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (cause: string | undefined) => {
      socket.destroy();
      resolve(cause);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(causes[err.code ?? ''] ?? err.code ?? err.message));
  });
}

/**
 * Checks, before any worker process is forked, that the frontend answers gRPC with these TLS and
 * API-key settings and that the namespace exists; every failure is a one-line UsageError.
 */
export async function checkTemporalReachable(c: ConnectionConfig): Promise<void> {
  const address = c.address!;
  const split = address.lastIndexOf(':');
  const host = address.slice(0, split).replace(/^\[|\]$/g, '');
  const cause = await tcpProbe(host, Number(address.slice(split + 1)));
  if (cause) throw new UsageError(`cannot reach Temporal at ${address}: ${cause}`);
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, tls: c.tls, apiKey: c.apiKey, connectTimeout: timeoutMs });
    await connection.workflowService.describeNamespace({ namespace: c.namespace });
  } catch (err) {
    const e = err as { code?: number; details?: string; message?: string };
    if (e.code === 5) throw new UsageError(`namespace ${c.namespace} does not exist at ${address}`);
    const line = (await diagnoseTls({ ...c, address })) ?? (e.details ?? e.message ?? String(err)).split('\n')[0];
    throw new UsageError(`cannot reach Temporal at ${address}: ${line}`);
  } finally {
    await connection?.close();
  }
}

import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { getClusterInfo, poll } from '../stack/readiness.js';

/** One line of the readiness table: ok, warn (some scenarios need it), fail (no run will work). */
export interface ReadinessCheck {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

export interface ReadinessReport {
  address: string;
  namespace: string;
  serverVersion: string;
  historyShardCount: number;
  clusterName: string;
  capabilities: Record<string, boolean>;
  /** What setup did to the namespace: registered it, or found it (and changed nothing). */
  namespaceAction: 'registered' | 'exists';
  retentionHours: number;
  checks: ReadinessCheck[];
}

const hour = 3600;
type Service = Connection['workflowService'];
type GrpcError = Error & { code?: number };

/**
 * Registers the namespace when it is missing (with the retention asked for) and never touches one
 * that exists: a shared cluster's namespaces belong to their owners. Returns what it found or did.
 */
async function ensureNamespace(service: Service, namespace: string, retentionHours: number): Promise<{ action: 'registered' | 'exists'; retentionHours: number }> {
  const existing = await service.describeNamespace({ namespace }).catch((err: GrpcError) => {
    if (err.code === 5) return undefined; // NOT_FOUND
    throw err;
  });
  if (existing) return { action: 'exists', retentionHours: Number(existing.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / hour };
  await service.registerNamespace({ namespace, workflowExecutionRetentionPeriod: proto.google.protobuf.Duration.fromObject({ seconds: retentionHours * hour }) }).catch((err: GrpcError) => {
    if (err.code !== 6) throw err; // ALREADY_EXISTS: registered concurrently
  });
  return { action: 'registered', retentionHours };
}

/**
 * Updates are a dynamic-config switch (frontend.enableUpdateWorkflowExecution) with no API to read
 * it: an update to a workflow that does not exist answers NOT_FOUND when they are enabled and
 * PERMISSION_DENIED ("operation is disabled") when not. Nothing is created.
 */
async function probeUpdates(service: Service, namespace: string): Promise<ReadinessCheck> {
  const check = 'workflow updates';
  try {
    await service.updateWorkflowExecution({
      namespace,
      workflowExecution: { workflowId: `bench-setup-probe-${Date.now()}` },
      request: { meta: { updateId: 'bench-setup-probe' }, input: { name: 'probe' } },
      waitPolicy: { lifecycleStage: 3 }, // COMPLETED
    });
    return { check, status: 'ok', detail: 'enabled' };
  } catch (err) {
    const e = err as GrpcError;
    if (e.code === 5) return { check, status: 'ok', detail: 'enabled (frontend.enableUpdateWorkflowExecution)' };
    if (e.code === 7) return { check, status: 'warn', detail: 'disabled: set frontend.enableUpdateWorkflowExecution=true for the signal-update scenario and update interactions' };
    return { check, status: 'warn', detail: `could not tell: ${e.message.split('\n')[0]}` };
  }
}

/** GetClusterInfo and GetSystemInfo, the namespace (registered when missing) and what the scenarios need from the server. */
export async function checkReadiness(connection: Connection, address: string, namespace: string, retentionHours: number, expectedVersion: string): Promise<ReadinessReport> {
  const service = connection.workflowService;
  const info = await getClusterInfo(connection);
  const system = await service.getSystemInfo({});
  const capabilities = Object.fromEntries(Object.entries(system.capabilities ?? {}).filter(([, v]) => typeof v === 'boolean')) as Record<string, boolean>;
  const ns = await ensureNamespace(service, namespace, retentionHours);
  const checks: ReadinessCheck[] = [];
  const versionOk = info.serverVersion.startsWith(expectedVersion.split('.').slice(0, 2).join('.'));
  checks.push({ check: 'server version', status: versionOk ? 'ok' : 'warn', detail: `${info.serverVersion}${versionOk ? '' : ` (the harness is built and tested against ${expectedVersion})`}` });
  checks.push({ check: 'history shards', status: info.historyShardCount > 0 ? 'ok' : 'fail', detail: String(info.historyShardCount) });
  const retentionNote = ns.action === 'exists' && ns.retentionHours !== retentionHours ? `; --retention ${retentionHours}h not applied to an existing namespace` : '';
  checks.push({ check: `namespace ${namespace}`, status: 'ok', detail: `${ns.action === 'registered' ? 'registered' : 'exists, left unchanged'} (retention ${ns.retentionHours}h${retentionNote})` });
  // A new namespace reaches the frontend's cache within seconds; a run before that fails with NamespaceNotFound.
  const visibility = await poll(`namespace ${namespace} to become usable`, 30_000, async () => {
    await service.listWorkflowExecutions({ namespace, pageSize: 1 });
    return 'answers';
  }).then(
    (detail): ReadinessCheck => ({ check: 'visibility (list, reconciliation)', status: 'ok', detail }),
    (err: Error): ReadinessCheck => ({ check: 'visibility (list, reconciliation)', status: 'fail', detail: err.message.split('\n')[0]! }),
  );
  checks.push(visibility);
  checks.push(await probeUpdates(service, namespace));
  checks.push({ check: 'eager workflow start', status: 'ok', detail: capabilities.eagerWorkflowStart ? 'supported' : 'not supported (the harness does not need it)' });
  return { address, namespace, ...info, capabilities, namespaceAction: ns.action, retentionHours: ns.retentionHours, checks };
}

/** The readiness table as text (one check per line). */
export function renderReadiness(r: ReadinessReport): string {
  const head = `${r.address}: Temporal ${r.serverVersion}, cluster ${r.clusterName}, ${r.historyShardCount} history shards`;
  const width = Math.max(...r.checks.map((c) => c.check.length));
  const rows = r.checks.map((c) => `${c.status.padEnd(4)}  ${c.check.padEnd(width)}  ${c.detail}`);
  const ready = r.checks.some((c) => c.status === 'fail') ? 'NOT READY' : 'ready';
  return [head, ...rows, `${ready}: bench run --address ${r.address} --namespace ${r.namespace}`].join('\n');
}

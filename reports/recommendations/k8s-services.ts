/**
 * The cluster's Temporal services as the operations page describes them (namespace `temporal`,
 * Helm deployments `temporal-<service>`, pods `temporal-<service>-<replicaset>-<id>`): replicas and
 * CPU/memory requests–limits, the "current value" a recommendation quotes when kube-state-metrics
 * does not report one.
 */

export interface ServiceSpec {
  replicas: number;
  cpu: { request: number; limit: number };
  /** Bytes. */
  memory: { request: number; limit: number };
}

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;

export const opsPageServices: Record<string, ServiceSpec> = {
  frontend: { replicas: 3, cpu: { request: 0.2, limit: 1 }, memory: { request: 512 * Mi, limit: Gi } },
  history: { replicas: 3, cpu: { request: 0.5, limit: 2 }, memory: { request: Gi, limit: 4 * Gi } },
  matching: { replicas: 3, cpu: { request: 0.2, limit: 1 }, memory: { request: 512 * Mi, limit: Gi } },
  worker: { replicas: 5, cpu: { request: 0.2, limit: 1 }, memory: { request: 512 * Mi, limit: Gi } },
  web: { replicas: 2, cpu: { request: 0.1, limit: 0.5 }, memory: { request: 128 * Mi, limit: 512 * Mi } },
};

/**
 * The service a pod belongs to: `temporal-history-7d9f8c6b5-x2kqp` → `history`, a StatefulSet's
 * `temporal-db-0` → `postgres`; anything else → its workload name (the pod name without the
 * ReplicaSet hash and pod suffix, or without a StatefulSet ordinal).
 */
export function podService(pod: string): string {
  const temporal = /^temporal-(frontend|history|matching|worker|web|admintools)(?:-|$)/.exec(pod);
  if (temporal) return temporal[1]!;
  if (/^temporal-(db|postgres)(-\d+)?$/.test(pod)) return 'postgres';
  return pod
    .replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '')
    .replace(/-[a-z0-9]{5}$/, '')
    .replace(/-\d+$/, '');
}

/** The deployment name users know the service by. */
export function workloadName(service: string): string {
  return service in opsPageServices || service === 'admintools' ? `temporal-${service}` : service;
}

export const cores = (v: number) => (v === 1 ? '1 core' : v > 1 ? `${Math.round(v * 100) / 100} cores` : `${Math.round(v * 1000)}m`);
export const bytes = (v: number) => (v >= Gi ? `${Math.round((v / Gi) * 10) / 10} GiB` : `${Math.round(v / Mi)} MiB`);

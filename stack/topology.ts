import { UsageError } from '../core/errors.js';
import type { StackOptions } from './options.js';

export type ServiceName = 'frontend' | 'history' | 'matching' | 'worker';
export const serviceNames: ServiceName[] = ['frontend', 'history', 'matching', 'worker'];

export interface ServicePorts {
  grpc: number;
  membership: number;
}

/** One temporal-server process: which services it hosts and the ports it binds. */
export interface ServerProcessSpec {
  /** e.g. `server` (single) or `history-1` (split). Also the config file's env name. */
  id: string;
  services: ServiceName[];
  ports: Record<ServiceName, ServicePorts>;
  metricsPort: number;
}

/**
 * Lays out the server processes and their ports. Single: one process with all four services (the
 * server's default). Split: frontend, worker, and `replicas` history and matching processes, like
 * the production deployment. Internal ports are taken in order from `internalPortBase`.
 */
export function layoutServerProcesses(options: StackOptions): ServerProcessSpec[] {
  let next = options.internalPortBase;
  const take = () => next++;
  const allocate = (service: ServiceName): ServicePorts => ({
    grpc: service === 'frontend' ? options.frontendPort : take(),
    membership: take(),
  });
  const groups: { id: string; services: ServiceName[] }[] =
    options.topology === 'single'
      ? [{ id: 'server', services: serviceNames }]
      : [
          { id: 'frontend-0', services: ['frontend'] },
          ...Array.from({ length: options.replicas }, (_, i) => ({ id: `history-${i}`, services: ['history'] as ServiceName[] })),
          ...Array.from({ length: options.replicas }, (_, i) => ({ id: `matching-${i}`, services: ['matching'] as ServiceName[] })),
          { id: 'worker-0', services: ['worker'] },
        ];
  // Every process's config names all four services; the ones it does not host get placeholder
  // ports from the first process that hosts them, which is never bound by this process.
  const owned = groups.map((group) => Object.fromEntries(group.services.map((s) => [s, allocate(s)])) as Partial<Record<ServiceName, ServicePorts>>);
  const firstPorts = (service: ServiceName): ServicePorts => owned.find((o) => o[service])![service]!;
  return groups.map((group, i) => ({
    id: group.id,
    services: group.services,
    ports: Object.fromEntries(serviceNames.map((s) => [s, owned[i]![s] ?? firstPorts(s)])) as Record<ServiceName, ServicePorts>,
    metricsPort: options.metricsPort + i,
  }));
}

/** Every port the stack will bind, with what binds it, for the "port already in use" check. */
export function portsToBind(options: StackOptions, processes: ServerProcessSpec[]): { port: number; owner: string; service: boolean }[] {
  const ports = processes.flatMap((p) => [
    ...p.services.flatMap((s) => [
      { port: p.ports[s].grpc, owner: `${s} gRPC (${p.id})`, service: true },
      { port: p.ports[s].membership, owner: `${s} membership (${p.id})`, service: true },
    ]),
    { port: p.metricsPort, owner: `metrics (${p.id})`, service: false },
  ]);
  if (options.prometheus) ports.push({ port: options.prometheusPort, owner: 'Prometheus', service: false });
  return ports;
}

/** PostgreSQL's cluster_membership table keeps rpc and membership ports in a smallint. */
const smallintMax = 32767;

/**
 * With PostgreSQL persistence the server records each service's gRPC and membership port in a
 * smallint column and fails at start above 32767 ("out of range for type smallint"): refused here, in one line.
 */
export function checkPortsFitPersistence(options: StackOptions, processes: ServerProcessSpec[]): void {
  if (options.persistence !== 'postgres') return;
  const tooHigh = portsToBind(options, processes).find(({ port, service }) => service && port > smallintMax);
  if (tooHigh) throw new UsageError(`port ${tooHigh.port} (${tooHigh.owner}) is above ${smallintMax}: with PostgreSQL the server stores its service ports as a smallint; choose lower --port / --internal-port-base`);
}

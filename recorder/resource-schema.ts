/** The `resources` part of result.json (see result-schema.ts): what the runner measured of each component. */

export type ResourceKind = 'temporal' | 'prometheus' | 'postgres' | 'worker' | 'generator' | 'coordinator';

/**
 * Per-second CPU and memory from /proc on the runner's host. Arrays are aligned with `t`; sample i
 * covers the time since sample i−1 (CPU is utime+stime over that time, RSS is at its end).
 */
export interface ResourceUsage {
  source: 'proc';
  /** Seconds from t0 at the end of each sample. */
  t: number[];
  host: HostResources;
  components: ResourceComponent[];
  /** What could not be sampled and why (e.g. no local stack serves the address: only the harness is). */
  missing: string[];
}

export interface HostResources {
  hostname: string;
  /** Online CPUs: the ceiling of the stacked CPU chart. */
  cores: number;
  /** Cores busy (user, nice, system, irq, softirq, steal from /proc/stat), every process on the host. */
  busyCores: (number | null)[];
  /** 1-minute load average (/proc/loadavg). */
  load1: (number | null)[];
  memTotalMb: number | null;
  memAvailableMb: (number | null)[];
}

export interface ResourceComponent {
  /**
   * A stack process id (`server`; split: `frontend-0`, `history-1`, `matching-0`, `worker-0` for
   * Temporal's worker service), `prometheus`, `postgres` (backends serving the stack's databases),
   * `postgres-background` (their server's postmaster, WAL writer, checkpointer, autovacuum),
   * `bench-worker-N`, `generator-N`, `coordinator` (bench run itself).
   */
  id: string;
  kind: ResourceKind;
  /** Temporal services the process hosts. */
  services?: string[];
  /** The processes last counted in it. */
  pids: number[];
  /** Cores used (CPU-seconds per second); null where the component did not exist. */
  cpuCores: (number | null)[];
  rssMb: (number | null)[];
}

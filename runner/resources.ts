import os from 'node:os';
import { ProcReader, readCmdline, type ProcStat } from '../metrics/process-tree.js';
import type { StackState } from '../stack/state.js';
import { busyCores, readHostCpu, readHostMemory, readLoad1, type HostCpuTimes } from './host-stats.js';
import { classifyProcesses, postgresIsLocal } from './resource-components.js';
import type { ResourceComponent, ResourceUsage } from '../recorder/resource-schema.js';

interface Series {
  component: Omit<ResourceComponent, 'cpuCores' | 'rssMb'>;
  cpuCores: (number | null)[];
  rssMb: (number | null)[];
}

const fullScanEvery = 10;

const r3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const r1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export interface SamplerOptions {
  t0Epoch: number;
  /** The local stack serving the run (embedded, or found for --address); undefined: a remote cluster. */
  stack?: StackState;
  /** The run's workers are external processes (--workers 0): say so instead of showing none. */
  externalWorkers?: boolean;
  coordinatorPid?: number;
  now?: () => number;
}

/**
 * Samples CPU (utime + stime) and RSS of every component of the run once a second, plus the host's
 * busy cores, load and available memory. A process seen for the first time after the previous
 * sample started since then, so all of its CPU counts; on the first sample everything is a baseline.
 */
export class ResourceSampler {
  private readonly cpuSeen = new Map<string, number>();
  private readonly cmdlines = new Map<string, string>();
  private readonly harnessIds = new Map<string, string>();
  private readonly series = new Map<string, Series>();
  private readonly t: number[] = [];
  private readonly busy: (number | null)[] = [];
  private readonly load1: (number | null)[] = [];
  private readonly memAvailable: (number | null)[] = [];
  private memTotalMb: number | null = null;
  private cores = os.availableParallelism();
  private prevHost: HostCpuTimes | undefined;
  private lastEpoch: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly missing: string[] = [];
  private readonly proc = new ProcReader();
  /** Processes that belong to no component (kernel threads, other programs): not read again until the next full scan. */
  private ignored = new Set<number>();
  private scans = 0;

  constructor(private readonly options: SamplerOptions) {
    const { stack } = options;
    if (!readHostCpu()) this.missing.push('no /proc on this host: nothing was sampled');
    if (!stack) this.missing.push('no local stack serves this address: Temporal, PostgreSQL and Prometheus are not on this host (for a cluster, the report queries cAdvisor through Prometheus)');
    else if (stack.persistence === 'postgres' && !postgresIsLocal(stack)) this.missing.push(`PostgreSQL at ${stack.postgres?.host} is not on this host: its CPU is not sampled`);
    if (options.externalWorkers) this.missing.push('workers: external processes (--workers 0), not sampled here');
  }

  private key = (p: ProcStat) => `${p.pid}:${p.startTicks}`;

  private cmdline = (p: ProcStat): string => {
    const key = this.key(p);
    let cmd = this.cmdlines.get(key);
    if (cmd === undefined) this.cmdlines.set(key, (cmd = readCmdline(p.pid)));
    return cmd;
  };

  private harnessId = (kind: 'worker' | 'generator', p: ProcStat): string => {
    const key = this.key(p);
    let id = this.harnessIds.get(key);
    if (!id) {
      const prefix = kind === 'worker' ? 'bench-worker' : 'generator';
      const n = [...this.harnessIds.values()].filter((v) => v.startsWith(`${prefix}-`)).length;
      this.harnessIds.set(key, (id = `${prefix}-${n}`));
    }
    return id;
  };

  /** Takes one sample now (the timer calls this every second; tests call it directly). */
  sample(): void {
    const now = this.options.now?.() ?? Date.now();
    const host = readHostCpu();
    if (!host) return;
    // Every 10th scan reads every process (one that exec'd into a component since); the others skip
    // those that were no component's, about half of a busy host's (each /proc read costs 10-100 µs).
    const full = this.scans++ % fullScanEvery === 0;
    const all = this.proc.all(full ? undefined : (pid) => this.ignored.has(pid));
    const groups = classifyProcesses(all, { stack: this.options.stack, coordinatorPid: this.options.coordinatorPid ?? process.pid, cmdline: this.cmdline, harnessId: this.harnessId });
    const kept = new Set(groups.flatMap((g) => g.procs.map((p) => p.pid)));
    if (full) this.ignored = new Set();
    for (const p of all) if (!kept.has(p.pid)) this.ignored.add(p.pid);
    const baseline = this.lastEpoch === undefined;
    const dt = baseline ? 0 : (now - this.lastEpoch!) / 1000;
    const previous = new Map(this.cpuSeen);
    this.cpuSeen.clear();
    for (const p of all) this.cpuSeen.set(this.key(p), p.cpuSeconds);
    if (!baseline && dt > 0) {
      const index = this.t.length;
      this.t.push(Math.round(((now - this.options.t0Epoch) / 1000) * 100) / 100);
      this.busy.push(r3(this.prevHost ? busyCores(this.prevHost, host) : null));
      this.load1.push(readLoad1());
      const mem = readHostMemory();
      this.memTotalMb = mem ? Math.round(mem.totalMb) : null;
      this.memAvailable.push(mem ? Math.round(mem.availableMb) : null);
      for (const g of groups) {
        const cpu = g.procs.reduce((sum, p) => sum + Math.max(0, p.cpuSeconds - (previous.get(this.key(p)) ?? 0)), 0);
        let s = this.series.get(g.id);
        if (!s) {
          s = { component: { id: g.id, kind: g.kind, services: g.services, pids: [] }, cpuCores: Array(index).fill(null), rssMb: Array(index).fill(null) };
          this.series.set(g.id, s);
        }
        s.component.pids = g.procs.map((p) => p.pid);
        s.cpuCores.push(r3(cpu / dt));
        s.rssMb.push(r1(g.procs.reduce((sum, p) => sum + p.rssMb, 0)));
      }
      for (const s of this.series.values()) {
        if (s.cpuCores.length === index) {
          s.cpuCores.push(null);
          s.rssMb.push(null);
        }
      }
    }
    this.prevHost = host;
    this.cores = host.cores;
    this.lastEpoch = now;
  }

  start(intervalMs = 1000): this {
    this.sample();
    this.timer = setInterval(() => {
      try {
        this.sample();
      } catch {
        // A sample that fails (a /proc read racing an exit) is skipped: the next one covers its time.
      }
    }, intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.proc.close();
  }

  /** What result.json carries; undefined before the second sample (nothing measured yet) or without /proc. */
  usage(): ResourceUsage | undefined {
    if (this.t.length === 0 && this.missing.length === 0) return undefined;
    return {
      source: 'proc',
      t: [...this.t],
      host: { hostname: os.hostname(), cores: this.cores, busyCores: [...this.busy], load1: [...this.load1], memTotalMb: this.memTotalMb, memAvailableMb: [...this.memAvailable] },
      components: [...this.series.values()].map((s) => ({ ...s.component, cpuCores: [...s.cpuCores], rssMb: [...s.rssMb] })),
      missing: [...this.missing],
    };
  }
}

/** Starts sampling for a run: the local stack (if any) is what serves `address`. */
export function startResourceSampler(options: SamplerOptions): ResourceSampler {
  return new ResourceSampler(options).start();
}

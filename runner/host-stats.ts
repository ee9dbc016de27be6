import fs from 'node:fs';

/** The host's CPU and memory from /proc (Linux): what the run's components compete for. */

export interface HostCpuTimes {
  /** Ticks spent on work: user, nice, system, irq, softirq, steal. */
  busy: number;
  /** busy + idle + iowait. */
  total: number;
  /** Online CPUs (one `cpuN` line each). */
  cores: number;
}

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Aggregate CPU times from /proc/stat; undefined where there is no /proc. */
export function readHostCpu(text = read('/proc/stat')): HostCpuTimes | undefined {
  if (!text) return undefined;
  const lines = text.split('\n');
  const cpu = lines.find((l) => l.startsWith('cpu '));
  if (!cpu) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already in user/nice).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map((v) => Number(v) || 0);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait!, cores: Math.max(1, lines.filter((l) => /^cpu\d+ /.test(l)).length) };
}

/** Cores busy between two readings (busy share of elapsed ticks × cores). */
export function busyCores(before: HostCpuTimes, after: HostCpuTimes): number | null {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * after.cores : null;
}

/** 1-minute load average (runnable + uninterruptible tasks): above the core count, work is queueing for CPU. */
export function readLoad1(text = read('/proc/loadavg')): number | null {
  const v = Number(text?.split(' ')[0]);
  return text && Number.isFinite(v) ? v : null;
}

/** MemTotal and MemAvailable in MB. */
export function readHostMemory(text = read('/proc/meminfo')): { totalMb: number; availableMb: number } | undefined {
  if (!text) return undefined;
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1]);
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return Number.isFinite(total) && Number.isFinite(available) ? { totalMb: total / 1024, availableMb: available / 1024 } : undefined;
}

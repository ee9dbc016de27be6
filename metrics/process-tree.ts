import fs from 'node:fs';

/** Kernel clock ticks per second of /proc/<pid>/stat's CPU fields (USER_HZ: 100 on Linux). */
const ticksPerSecond = 100;
const pageBytes = 4096;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** One-letter state: R, S, D, Z (zombie), T ... */
  state: string;
  /** The command name (at most 15 characters), e.g. `postgres`, `node`. */
  comm: string;
  /** Start time in clock ticks since boot: with the pid, tells a reused pid from the process seen before. */
  startTicks: number;
  /** utime + stime of the process itself. */
  cpuSeconds: number;
  /** cutime + cstime: CPU of children it has waited for (they are gone from /proc). */
  reapedChildrenCpuSeconds: number;
  rssMb: number;
}

/** /proc/<pid>/stat of one process; undefined once it has exited (Linux only). */
export function readProcStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after its closing one.
  const close = stat.lastIndexOf(')');
  const f = stat.slice(close + 2).split(' ');
  const n = (i: number) => Number(f[i]);
  return {
    pid,
    ppid: n(1),
    state: f[0]!,
    comm: stat.slice(stat.indexOf('(') + 1, close),
    startTicks: n(19),
    cpuSeconds: (n(11) + n(12)) / ticksPerSecond,
    reapedChildrenCpuSeconds: (n(13) + n(14)) / ticksPerSecond,
    rssMb: (n(21) * pageBytes) / 1024 / 1024,
  };
}

/** Every live process: pid and stat. */
export function allProcesses(): ProcStat[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .flatMap((e) => readProcStat(Number(e)) ?? []);
}

/** The command line of a process, arguments joined by spaces ('' once it has exited or for kernel threads). */
export function readCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Children by parent pid, for walking trees in one pass over /proc. */
export function childrenByParent(all: ProcStat[]): Map<number, ProcStat[]> {
  const byParent = new Map<number, ProcStat[]>();
  for (const p of all) {
    const list = byParent.get(p.ppid);
    if (list) list.push(p);
    else byParent.set(p.ppid, [p]);
  }
  return byParent;
}

/** `root` and its live descendants (zombies excluded: they hold no memory and do no work). */
export function processTree(root: number, all: ProcStat[] = allProcesses(), byParent = childrenByParent(all)): ProcStat[] {
  const top = all.find((p) => p.pid === root);
  if (!top) return [];
  const out: ProcStat[] = [];
  const stack = [top];
  while (stack.length) {
    const p = stack.pop()!;
    if (p.state !== 'Z') out.push(p);
    stack.push(...(byParent.get(p.pid) ?? []));
  }
  return out;
}

/** CPU-seconds used so far by `root` and its descendants (live ones and those they reaped), and RSS now. */
export function treeUsage(root: number): { cpuSeconds: number; rssMb: number } {
  const tree = processTree(root);
  return {
    cpuSeconds: tree.reduce((a, p) => a + p.cpuSeconds + p.reapedChildrenCpuSeconds, 0),
    rssMb: tree.reduce((a, p) => a + p.rssMb, 0),
  };
}

/** CPU-seconds of this process's children that have exited and been waited for. */
export function reapedChildrenCpuSeconds(): number {
  return readProcStat(process.pid)?.reapedChildrenCpuSeconds ?? 0;
}

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

/** Parses the text of /proc/<pid>/stat. */
function parseStat(pid: number, stat: string): ProcStat {
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

/** /proc/<pid>/stat of one process; undefined once it has exited (Linux only). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(pid, fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return undefined;
  }
}

/** Every live process: pid and stat (one scan, no descriptor kept). */
export function allProcesses(): ProcStat[] {
  return new ProcReader(0).all();
}

/**
 * Reads /proc/<pid>/stat of many processes again and again (a sampler's every second) through
 * descriptors kept open: one pread per process instead of open, fstat, read and close, which cost
 * ~100 µs a process and made a once-a-second scan of a busy host the coordinator's largest CPU cost.
 * A descriptor stays bound to its process: once it exits, reads fail (ESRCH) and it is closed, and a
 * new process that reuses the pid gets a new one.
 */
export class ProcReader {
  private readonly fds = new Map<number, number>();
  private readonly buffer = Buffer.alloc(1024);

  constructor(private readonly maxOpen = 1024) {}

  read(pid: number): ProcStat | undefined {
    const cached = this.fds.get(pid);
    if (cached !== undefined) {
      const p = this.readFd(pid, cached);
      if (p) return p;
      this.forget(pid); // exited; the pid may already belong to a new process: open it afresh
    }
    let fd: number;
    try {
      fd = fs.openSync(`/proc/${pid}/stat`, 'r');
    } catch {
      return undefined;
    }
    const p = this.readFd(pid, fd);
    if (p && this.fds.size < this.maxOpen) this.fds.set(pid, fd);
    else fs.closeSync(fd);
    return p;
  }

  private readFd(pid: number, fd: number): ProcStat | undefined {
    try {
      const n = fs.readSync(fd, this.buffer, 0, this.buffer.length, 0);
      return n > 0 ? parseStat(pid, this.buffer.toString('latin1', 0, n)) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every live process, as allProcesses(), except those `skip` names (left unread). */
  all(skip?: (pid: number) => boolean): ProcStat[] {
    const out: ProcStat[] = [];
    const live = new Set<number>();
    for (const e of fs.readdirSync('/proc')) {
      const c = e.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(e);
      live.add(pid);
      if (skip?.(pid)) continue;
      const p = this.read(pid);
      if (p) out.push(p);
    }
    for (const pid of this.fds.keys()) if (!live.has(pid)) this.forget(pid);
    return out;
  }

  private forget(pid: number): undefined {
    const fd = this.fds.get(pid);
    this.fds.delete(pid);
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    return undefined;
  }

  close(): void {
    for (const pid of [...this.fds.keys()]) this.forget(pid);
  }
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
export function treeUsage(root: number, all: ProcStat[] = allProcesses(), byParent = childrenByParent(all)): { cpuSeconds: number; rssMb: number } {
  const tree = processTree(root, all, byParent);
  return {
    cpuSeconds: tree.reduce((a, p) => a + p.cpuSeconds + p.reapedChildrenCpuSeconds, 0),
    rssMb: tree.reduce((a, p) => a + p.rssMb, 0),
  };
}

/** CPU-seconds of this process's children that have exited and been waited for. */
export function reapedChildrenCpuSeconds(): number {
  return readProcStat(process.pid)?.reapedChildrenCpuSeconds ?? 0;
}

import path from 'node:path';
import { childrenByParent, processTree, type ProcStat } from '../metrics/process-tree.js';
import type { StackState } from '../stack/state.js';
import type { ResourceKind } from '../recorder/resource-schema.js';

/**
 * Which process belongs to which component of a run, from one pass over /proc: the local stack's
 * processes by the pids in its state.json, the PostgreSQL backends serving its databases by their
 * process titles, and the harness (worker and generator children of this process, the coordinator).
 */

export interface ComponentGroup {
  id: string;
  kind: ResourceKind;
  services?: string[];
  procs: ProcStat[];
}

export interface ClassifyContext {
  stack?: StackState;
  coordinatorPid: number;
  /** The command line of a process (cached by the caller: it is read once per process). */
  cmdline: (p: ProcStat) => string;
  /** Stable ids for harness children across samples: `bench-worker-0`, `generator-0`, ... */
  harnessId: (kind: 'worker' | 'generator', p: ProcStat) => string;
}

export type PostgresTitle = { role: 'backend'; user: string; database: string } | { role: 'background' };

/**
 * A PostgreSQL process title: `postgres: [cluster: ]user database host(port) state` for a backend,
 * `postgres: [cluster: ]checkpointer` and the like for background workers; undefined for anything
 * else (the postmaster itself shows its command line, e.g. `/usr/lib/postgresql/15/bin/postgres -D ...`).
 */
export function parsePostgresTitle(cmdline: string): PostgresTitle | undefined {
  if (!cmdline.startsWith('postgres: ')) return undefined;
  const backend = /^postgres: (?:\S+: )?(\S+) (\S+) (?:\S+\(\d+\)|\[local\])/.exec(cmdline);
  return backend ? { role: 'backend', user: backend[1]!, database: backend[2]! } : { role: 'background' };
}

const localHosts = new Set(['127.0.0.1', 'localhost', '::1', '']);

/** True when the stack's PostgreSQL runs on this host (its processes are in our /proc). */
export function postgresIsLocal(stack: StackState | undefined): boolean {
  return Boolean(stack?.persistence === 'postgres' && stack.postgres && (localHosts.has(stack.postgres.host) || stack.postgres.host.startsWith('/')));
}

/** A state.json pid is ours only while its command name still matches the executable (pids are reused). */
function sameProgram(p: ProcStat, executable: string): boolean {
  return path.basename(executable).slice(0, 15) === p.comm;
}

function stackGroups(stack: StackState, all: ProcStat[], byParent: Map<number, ProcStat[]>, claimed: Set<number>): ComponentGroup[] {
  const out: ComponentGroup[] = [];
  for (const sp of stack.processes) {
    const top = all.find((p) => p.pid === sp.pid);
    if (!top || !sameProgram(top, sp.executable)) continue;
    const procs = processTree(sp.pid, all, byParent).filter((p) => !claimed.has(p.pid));
    procs.forEach((p) => claimed.add(p.pid));
    out.push({ id: sp.id, kind: sp.kind, services: sp.services, procs });
  }
  return out;
}

function postgresGroups(stack: StackState, all: ProcStat[], ctx: ClassifyContext, claimed: Set<number>): ComponentGroup[] {
  const databases = new Set([stack.postgres!.database, stack.postgres!.visibilityDatabase]);
  const backends: ProcStat[] = [];
  const postmasters = new Set<number>();
  const candidates = all.filter((p) => p.comm === 'postgres' && !claimed.has(p.pid));
  for (const p of candidates) {
    const title = parsePostgresTitle(ctx.cmdline(p));
    if (title?.role === 'backend' && databases.has(title.database)) {
      backends.push(p);
      postmasters.add(p.ppid);
    }
  }
  if (backends.length === 0) return [];
  // The shared work of the server our backends belong to: the postmaster and its background workers
  // (WAL writer, checkpointer, autovacuum), not the backends of other databases.
  const background = candidates.filter((p) => postmasters.has(p.pid) || (postmasters.has(p.ppid) && ctx.cmdline(p) && parsePostgresTitle(ctx.cmdline(p))?.role === 'background'));
  [...backends, ...background].forEach((p) => claimed.add(p.pid));
  return [
    { id: 'postgres', kind: 'postgres', procs: backends },
    { id: 'postgres-background', kind: 'postgres', procs: background },
  ];
}

const generatorEntry = /[/\\]generator[/\\]generator-child\.[cm]?[jt]s\b/;
const workerEntry = /[/\\]workers[/\\]child\.[cm]?[jt]s\b/;

function harnessGroups(all: ProcStat[], byParent: Map<number, ProcStat[]>, ctx: ClassifyContext, claimed: Set<number>): ComponentGroup[] {
  const coordinator = all.find((p) => p.pid === ctx.coordinatorPid);
  if (!coordinator) return [];
  const groups: ComponentGroup[] = [];
  const own: ProcStat[] = [coordinator];
  claimed.add(coordinator.pid);
  for (const child of byParent.get(coordinator.pid) ?? []) {
    if (claimed.has(child.pid) || child.state === 'Z') continue;
    const cmd = ctx.cmdline(child);
    const kind = generatorEntry.test(cmd) ? 'generator' : workerEntry.test(cmd) ? 'worker' : undefined;
    const tree = processTree(child.pid, all, byParent).filter((p) => !claimed.has(p.pid));
    tree.forEach((p) => claimed.add(p.pid));
    if (kind) groups.push({ id: ctx.harnessId(kind, child), kind, procs: tree });
    else own.push(...tree); // helpers of the coordinator itself (e.g. tsx's esbuild service)
  }
  return [{ id: 'coordinator', kind: 'coordinator', procs: own }, ...groups];
}

/** Every component found now, stack first (its pids are claimed before the coordinator's children). */
export function classifyProcesses(all: ProcStat[], ctx: ClassifyContext): ComponentGroup[] {
  const byParent = childrenByParent(all);
  const claimed = new Set<number>();
  const stack = ctx.stack ? stackGroups(ctx.stack, all, byParent, claimed) : [];
  const postgres = ctx.stack && postgresIsLocal(ctx.stack) ? postgresGroups(ctx.stack, all, ctx, claimed) : [];
  return [...stack, ...postgres, ...harnessGroups(all, byParent, ctx, claimed)];
}

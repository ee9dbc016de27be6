import { UsageError } from '../core/errors.js';
import { defaultStackDir } from '../stack/options.js';
import { runningStack } from '../stack/stack.js';
import { checkFaults, faultFromEntry, parseFault, type FaultEntry, type FaultSpec } from './spec.js';

export interface FaultPlan {
  faults: FaultSpec[];
  /** The local stack the faults act on: found now for --address, after start-up for an embedded one. */
  stackDir?: string;
}

/**
 * The run's faults (scenario's, then --fault flags), checked before any load is sent: syntax, times
 * within the load, and targets that exist in the local stack they act on. With --address that stack
 * is the one at --stack-dir (else the default) whose frontend is that address, found through its
 * state.json; without --address it is the embedded stack: one already running, else a fresh single
 * SQLite one, whose server cannot be killed or stopped (in memory: every workflow would be lost).
 */
export function planFaults(entries: FaultEntry[] | undefined, flags: string[] | undefined, plannedDurationS: number, where: { address?: string; stackDir?: string; embeddedDir?: string }): FaultPlan {
  const faults = [...(entries ?? []).map(faultFromEntry), ...(flags ?? []).map(parseFault)];
  if (faults.length === 0) return { faults };
  const local = faults.some((f) => f.target);
  if (where.address) {
    const dir = where.stackDir ?? defaultStackDir();
    const state = runningStack(dir);
    const matches = state?.frontendAddress === where.address ? state : undefined;
    const hint = state ? `the stack at ${dir} serves ${state.frontendAddress}, not ${where.address}` : `no running stack at ${dir}; --stack-dir names it`;
    checkFaults(
      faults,
      plannedDurationS,
      matches?.processes.map((p) => p.id),
      hint,
    );
    return { faults, stackDir: local ? matches?.dir : undefined };
  }
  const existing = runningStack(where.embeddedDir!) ?? (where.stackDir ? undefined : runningStack(defaultStackDir()));
  const ids = existing ? existing.processes.map((p) => p.id) : ['server', 'prometheus'];
  checkFaults(faults, plannedDurationS, ids, '');
  const inMemory = existing ? existing.persistence === 'sqlite' : true;
  const lossy = faults.find((f) => f.target?.service === 'server' && (f.action === 'kill' || f.action === 'stop'));
  if (inMemory && lossy)
    throw new UsageError(
      `fault '${lossy.text}': the embedded stack keeps its data in memory (SQLite), so killing its server loses every workflow; run against a PostgreSQL stack (bench stack up --persistence postgres, then --address), or use pause`,
    );
  return { faults, stackDir: existing?.dir };
}

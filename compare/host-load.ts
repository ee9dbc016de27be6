import { isThisHost } from '../core/connection.js';
import type { ResultFile } from '../recorder/result-schema.js';
import { resourceWindow } from '../reports/recommendations/resource-stats.js';

/**
 * The CPU that processes outside a run used on its host (host busy from /proc/stat less every
 * component the run named: stack, harness), mean over the steady window. A comparison whose
 * candidate ran beside more of it than its baseline cannot tell the code's slowdown from the
 * host's: on this 2-core box a second test suite doubled start p50 between identical runs.
 */
export interface HostLoad {
  /** Other processes' mean cores during each run's steady window. */
  baselineCores: number;
  candidateCores: number;
  hostCores: number;
  /** A difference at or above this many cores makes the runs' hosts differ. */
  margin: number;
  /** The run whose host was busier by at least the margin, if either. */
  busier: 'baseline' | 'candidate' | null;
}

/** A quarter core, or a tenth of the host: idle daemons and a shell stay below it, a build or test suite does not. */
export function marginFor(hostCores: number): number {
  return Math.max(0.25, 0.1 * hostCores);
}

/** A server on this host's loopback that the run did not sample (no --stack-dir) would count as another process. */
function serverUnsampledHere(result: ResultFile): boolean {
  return isThisHost(result.environment.address) && !result.resources?.components.some((c) => c.kind === 'temporal');
}

function otherCores(result: ResultFile): { cores: number; hostCores: number } | null {
  if (serverUnsampledHere(result)) return null;
  const w = resourceWindow(result);
  const other = w?.consumers.find((c) => c.kind === 'other');
  return w && other ? { cores: other.mean, hostCores: w.cores } : null;
}

/**
 * Null when either run has no resource samples, drove a server on its own loopback without sampling
 * it (its CPU would read as other load), or ran on a host of another size: nothing to compare.
 */
export function hostLoad(baseline: ResultFile, candidate: ResultFile): HostLoad | null {
  const b = otherCores(baseline);
  const c = otherCores(candidate);
  if (!b || !c || b.hostCores !== c.hostCores) return null;
  const margin = marginFor(b.hostCores);
  const diff = c.cores - b.cores;
  const busier = diff >= margin ? 'candidate' : -diff >= margin ? 'baseline' : null;
  return { baselineCores: b.cores, candidateCores: c.cores, hostCores: b.hostCores, margin, busier };
}

const cores = (v: number) => `${Math.round(v * 100) / 100} cores`;

/** The warning a comparison carries when the hosts differed, with the figures that show it. */
export function hostLoadWarning(h: HostLoad): string {
  return (
    `other processes on the host (not these runs) used ${cores(h.candidateCores)} during the candidate and ${cores(h.baselineCores)} during the baseline ` +
    `(host CPU busy less the processes of the runs, /proc/stat, mean over the steady window; ${h.hostCores} cores): ` +
    `a change in the direction of the busier ${h.busier} may come from the host rather than the code; re-run both on a quiet host`
  );
}

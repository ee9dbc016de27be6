import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { loadResult } from '../recorder/load.js';
import type { IntervalRecord, ResultFile } from '../recorder/result-schema.js';

/** A result file with where it came from, for messages. */
export interface LoadedResult {
  path: string;
  result: ResultFile;
}

/** result.json given as the file itself or as its run directory. */
export function resultPath(fileOrDir: string): string {
  return existsSync(fileOrDir) && statSync(fileOrDir).isDirectory() ? path.join(fileOrDir, 'result.json') : fileOrDir;
}

/** A result.json (through the one reader, reports/load.ts) and where it was read from, for messages and for writing next to it. */
export function loadLocated(fileOrDir: string, role = 'result'): LoadedResult {
  return { path: resultPath(fileOrDir), result: loadResult(fileOrDir, role) };
}

/** The measured intervals: warmup, cooldown and drain are excluded from every statistic. */
export function steadyIntervals(result: ResultFile): IntervalRecord[] {
  return result.timeline.filter((i) => i.phase === 'steady');
}

/** Refuses comparisons that would mislead: another scenario, or nothing measured. */
export function checkComparable(baseline: LoadedResult, candidate: LoadedResult, allowDifferentScenario = false): void {
  const a = baseline.result.scenario.name;
  const b = candidate.result.scenario.name;
  if (a !== b && !allowDifferentScenario) {
    throw new UsageError(`baseline scenario ${JSON.stringify(a)} differs from candidate scenario ${JSON.stringify(b)} (--allow-different-scenario to compare anyway)`);
  }
  for (const [role, r] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    if (steadyIntervals(r.result).length === 0) throw new UsageError(`${role} ${r.path} has no steady-phase intervals to compare`);
  }
}

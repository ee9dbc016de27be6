import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/errors';
import { RESULT_SCHEMA_VERSION, type IntervalRecord, type ResultFile } from '../runner/result-schema';

/** A result file with where it came from, for messages. */
export interface LoadedResult {
  path: string;
  result: ResultFile;
}

/** result.json given as the file itself or as its run directory. */
export function resultPath(fileOrDir: string): string {
  return existsSync(fileOrDir) && statSync(fileOrDir).isDirectory() ? path.join(fileOrDir, 'result.json') : fileOrDir;
}

/**
 * Reads and checks a result.json; every problem a user can fix is a one-line UsageError naming the
 * role ("baseline", "candidate") and the file.
 */
export function loadResult(fileOrDir: string, role = 'result'): LoadedResult {
  const file = resultPath(fileOrDir);
  if (!existsSync(file)) throw new UsageError(`${role} not found: ${file}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${role} ${file} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = parsed as Partial<ResultFile> | null;
  if (!r || typeof r !== 'object' || !('schemaVersion' in r)) throw new UsageError(`${role} ${file} is not a bench result (no schemaVersion)`);
  if (r.schemaVersion !== RESULT_SCHEMA_VERSION) {
    throw new UsageError(`${role} ${file} has schemaVersion ${JSON.stringify(r.schemaVersion)}; this bench reads ${RESULT_SCHEMA_VERSION}`);
  }
  if (!Array.isArray(r.timeline) || !r.summary || !r.scenario) throw new UsageError(`${role} ${file} is incomplete (no timeline, summary or scenario)`);
  return { path: file, result: r as ResultFile };
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
  for (const [role, r] of [['baseline', baseline], ['candidate', candidate]] as const) {
    if (steadyIntervals(r.result).length === 0) throw new UsageError(`${role} ${r.path} has no steady-phase intervals to compare`);
  }
}

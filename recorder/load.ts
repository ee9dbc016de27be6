import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { RESULT_SCHEMA_VERSION, type ResultFile } from './result-schema.js';

export const RESULT_FILE = 'result.json';

/**
 * Reads and checks a result.json, given a results directory or the file itself: the one reader for
 * report, compare, gate and soak. Every problem is a one-line UsageError (exit 2) naming the role
 * ("baseline", "candidate", ...) and the file: the user pointed at the wrong thing.
 */
export function loadResult(target: string, role = 'result'): ResultFile {
  const file = fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, RESULT_FILE) : target;
  if (!fs.existsSync(file)) throw new UsageError(`${role} not found: ${file}`);
  let parsed: Partial<ResultFile> | null;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ResultFile> | null;
  } catch (err) {
    throw new UsageError(`${role} ${file} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('schemaVersion' in parsed)) throw new UsageError(`${role} ${file} is not a bench result (no schemaVersion)`);
  if (parsed.schemaVersion !== RESULT_SCHEMA_VERSION) {
    throw new UsageError(`${role} ${file} has schemaVersion ${JSON.stringify(parsed.schemaVersion)}; this bench reads ${RESULT_SCHEMA_VERSION}`);
  }
  for (const key of ['runId', 'startedAt', 'scenario', 'environment', 'timeline', 'summary', 'histograms'] as const) {
    if (parsed[key] === undefined || parsed[key] === null) throw new UsageError(`${role} ${file} is not a bench result: missing ${key}`);
  }
  if (!Array.isArray(parsed.timeline)) throw new UsageError(`${role} ${file} is not a bench result: timeline is not a list`);
  return parsed as ResultFile;
}

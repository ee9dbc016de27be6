import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { ResultFile } from './result-schema.js';

/** Refuses an --out directory that exists and is not empty: earlier results are never overwritten. */
export function checkOutDir(dir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UsageError(`--out ${dir} is a file, not a directory`);
    throw err;
  }
  if (entries.length > 0) throw new UsageError(`--out ${dir} already exists and is not empty; choose another directory (results are never overwritten)`);
}

/** Writes result.json atomically (temp file + rename) so a crash leaves the previous complete copy. */
export function writeResultFile(dir: string, result: ResultFile): void {
  const file = path.join(dir, 'result.json');
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(result, null, 1)}\n`);
  fs.renameSync(tmp, file);
}

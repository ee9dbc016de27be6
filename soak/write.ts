import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadLocated } from '../compare/load.js';
import { analyseDrift, type DriftInput, type DriftOptions, type DriftReport } from './drift.js';
import { renderDriftMarkdown } from './markdown.js';

/**
 * Analyses the run in `dir` (finished or still running) and writes drift.json and drift.md next to
 * its result.json; the report (and `bench run` for soak scenarios) can call this.
 */
export function writeDrift(dir: string, options: DriftOptions = {}, extra: Omit<DriftInput, 'result'> = {}): { report: DriftReport; markdown: string } {
  const { path: file, result } = loadLocated(dir, 'soak result');
  const report = analyseDrift({ result, ...extra }, options);
  const markdown = renderDriftMarkdown(report);
  writeFileSync(path.join(path.dirname(file), 'drift.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(path.dirname(file), 'drift.md'), markdown);
  return { report, markdown };
}

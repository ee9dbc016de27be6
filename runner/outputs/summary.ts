import { printSummary } from '../../recorder/print-summary.js';
import type { RunOutput } from '../output.js';

/** The summary printed at the end of a run (after result.json is final: it names the file). */
export function printedSummary(log: (line: string) => void): RunOutput {
  return { name: 'summary', finish: (run) => printSummary(run.result, run.outDir, log) };
}

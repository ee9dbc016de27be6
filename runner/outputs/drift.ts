import { writeDrift } from '../../soak/write.js';
import type { FinishedRun, RunOutput } from '../output.js';

/** drift.md / drift.json: the soak's drift checks per window, their verdict in the log. */
export function driftOutput(windowS: number, log: (line: string) => void): RunOutput {
  return {
    name: 'drift',
    finish: (run: FinishedRun) => {
      const { markdown } = writeDrift(run.outDir, { windowS });
      log(markdown.split('\n').find((l) => /verdict|drift/i.test(l)) ?? 'drift: written to drift.md');
    },
  };
}

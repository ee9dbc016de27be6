import { gateAgainstBaseline, type GateOptions } from '../../compare/gate.js';
import type { FinishedRun, RunOutput } from '../output.js';

/** The regression gate against a baseline: its table on stdout, its verdict in the log, exit 99 when anything regressed (98 when the hosts differed too much to tell). */
export function gateOutput(baseline: string, options: GateOptions, log: (line: string) => void): RunOutput {
  return {
    name: 'gate',
    finish: (run: FinishedRun) => {
      const gate = gateAgainstBaseline(run.outDir, baseline, options);
      process.stdout.write(gate.markdown);
      log(`gate against ${baseline}: ${gate.verdict}`);
      return gate.exitCode;
    },
  };
}

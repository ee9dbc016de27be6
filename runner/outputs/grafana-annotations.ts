import { postAnnotations, runAnnotations } from '../../monitoring/grafana-annotations.js';
import type { FinishedRun, RunOutput } from '../output.js';

/** The run window and its faults as Grafana annotations (a failure to post is one warning). */
export function grafanaAnnotationsOutput(grafanaUrl: string, log: (line: string) => void): RunOutput {
  return {
    name: 'grafana',
    // postAnnotations returns how many were posted: not an exit code.
    finish: async (run: FinishedRun) => void (await postAnnotations(grafanaUrl, runAnnotations(run.result), log)),
  };
}

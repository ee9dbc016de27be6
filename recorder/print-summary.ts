import path from 'node:path';
import type { ResultFile } from './result-schema.js';

type Log = (line: string) => void;

/** The run's closing lines on stderr: counts, latencies, reconciliation, thresholds, validity. */
export function printSummary(r: ResultFile, outDir: string, log: Log): void {
  const s = r.summary;
  const lat = (k: string) => (s.latencyMs[k] ? `p50 ${s.latencyMs[k]!.p50} p99 ${s.latencyMs[k]!.p99} max ${s.latencyMs[k]!.max} ms` : 'n/a');
  const rc = s.reconciliation;
  const cut = s.elapsedDurationS !== undefined && s.plannedDurationS !== undefined && s.elapsedDurationS < s.plannedDurationS;
  const lines = [
    ...(cut ? [`cut short: ${s.elapsedDurationS}s of the ${s.plannedDurationS}s schedule ran; the rates below are over that time`] : []),
    `run ${r.runId} ${r.status}: target ${s.targetStarts} starts (${s.targetRate}/s), sent ${s.sentStarts}, ok ${s.startedOk} (${s.achievedRate}/s), dropped ${s.dropped}, errors ${s.errors}`,
    `start ${lat('start')} | service ${lat('startService')} | e2e ${lat('e2e')} | lag ${lat('schedulingLag')}`,
    rc ? `reconciled: completed ${rc.completed}, failed ${rc.failed}, timed out ${rc.timedOut}, canceled ${rc.canceled}, terminated ${rc.terminated}, running ${rc.running}, unaccounted ${rc.unaccounted}` : 'not reconciled',
    ...s.thresholds.map((t) => `threshold ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.expression} (value ${t.value ?? 'no data'})`),
    s.valid ? 'valid run' : `INVALID run: ${s.invalidReasons.join('; ')}`,
    `results: ${path.join(outDir, 'result.json')}`,
  ];
  for (const line of lines) log(line);
}

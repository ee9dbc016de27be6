import type { Availability, FaultRecord, ResultFile } from '../../recorder/result-schema.js';

/** Two injected faults and the one outage the first caused, for report tests (report-fixtures' 60-s run). */

export const hostileCmd = 'tc qdisc add "<b>x</b>"';

export function fixtureFaults(): FaultRecord[] {
  return [
    {
      spec: 'at=15s,action=kill,target=history,replica=1,restart-after=20s',
      action: 'kill',
      target: 'history-1',
      atS: 15,
      firedAtS: 15.2,
      restartedAtS: 35.1,
      ok: true,
      outcome: 'SIGKILL to history-1 (pid 4242); restarted as pid 4300 at t=35.1 s',
    },
    {
      spec: `at=45s,action=exec,cmd=${hostileCmd}`,
      action: 'exec',
      target: 'exec',
      atS: 45,
      firedAtS: 45,
      restartedAtS: null,
      cmd: hostileCmd,
      endedAtS: 45.3,
      exitCode: 2,
      ok: false,
      outcome: `exec ${hostileCmd} exited 2: <img src=x onerror=alert(1)>`,
    },
  ];
}

export function fixtureAvailability(lostWork = 0): Availability {
  return {
    windows: [{ startS: 16, endS: 38, signals: ['errors', 'stall'], fault: 0, failedStarts: 37, errorsByCode: { UNAVAILABLE: 30, DEADLINE_EXCEEDED: 7 } }],
    unavailableSeconds: 22,
    faults: [
      { fault: 0, impact: 'outage', firstErrorAfterS: 0.8, recoveryS: 2.9 },
      { fault: 1, impact: 'no visible impact', firstErrorAfterS: null, recoveryS: null },
    ],
    failedStarts: 37,
    failedStartsByCode: { UNAVAILABLE: 30, DEADLINE_EXCEEDED: 7 },
    startedAnswerLost: 3,
    delayedWorkflows: 12,
    lostWork,
  };
}

/** `result` with the faults, the window and the two availability thresholds (recovery_time failed). */
export function withFaults(result: ResultFile, lostWork = 0): ResultFile {
  return {
    ...result,
    faults: fixtureFaults(),
    availability: fixtureAvailability(lostWork),
    summary: {
      ...result.summary,
      thresholds: [...result.summary.thresholds, { metric: 'unavailable_seconds', expression: 'max<=30', ok: true, value: 22 }, { metric: 'recovery_time', expression: 'max<2000', ok: false, value: 2900 }],
    },
  };
}

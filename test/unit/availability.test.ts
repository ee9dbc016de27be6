import { describe, expect, it } from 'vitest';
import { analyzeAvailability, NO_ANSWER_CODE } from '../../faults/availability.js';
import { timeoutAtDrain } from '../../generator/dispatcher.js';
import { parseDurationMs } from '../../scenarios/duration.js';
import { availabilityThresholdData, evaluateThresholds, parseThresholds, type ThresholdData } from '../../recorder/thresholds.js';
import type { IntervalRecord } from '../../recorder/result-schema.js';
import { fault, inRange, RATE, timeline } from './availability-fixtures.js';

const extra = { startedAnswerLost: 0, lostWork: 0 };

/** (a) The whole server down 10–30 s: every start intended then fails UNAVAILABLE. */
const serverDown = () => ({
  timeline: timeline({
    starts: (r) => {
      if (inRange(r.t, 10, 30)) Object.assign(r, { started: 0, completed: 0, errors: { UNAVAILABLE: RATE } });
    },
  }),
  faults: [fault({ action: 'kill', target: 'server', firedAtS: 10.05, restartedAtS: 30.05 })],
});

/** (c) A history replica killed at 15 s and back at 25 s, with no effect clients could see. */
const harmless = () => ({ timeline: timeline(), faults: [fault({ action: 'kill', target: 'history-1', firedAtS: 15, restartedAtS: 25 })] });

describe('analyzeAvailability', () => {
  it('(a) finds the server outage as one window, attributed to the kill, recovered right after the restart', () => {
    const { timeline: tl, faults } = serverDown();
    const av = analyzeAvailability(tl, faults, { startedAnswerLost: 3, lostWork: 0 });
    expect(av.windows).toHaveLength(1);
    expect(av.windows[0]).toMatchObject({ startS: 10, endS: 30, fault: 0, failedStarts: 100, errorsByCode: { UNAVAILABLE: 100 } });
    expect(av.windows[0]!.signals).toContain('errors');
    expect(av.unavailableSeconds).toBe(20);
    expect(av.faults).toEqual([{ fault: 0, impact: 'outage', firstErrorAfterS: 0, recoveryS: expect.any(Number) }]);
    expect(av.faults[0]!.recoveryS).toBeGreaterThanOrEqual(0);
    expect(av.faults[0]!.recoveryS).toBeLessThanOrEqual(1);
    expect(av).toMatchObject({ failedStarts: 100, failedStartsByCode: { UNAVAILABLE: 100 }, startedAnswerLost: 3, lostWork: 0, delayedWorkflows: 0 });
  });

  it('starts the window at the fault, not at a stall-only second before it (the last worker report landing late)', () => {
    const tl = timeline({
      starts: (r) => void (inRange(r.t, 10, 30) && Object.assign(r, { started: 0, completed: 0, errors: { UNAVAILABLE: RATE } })),
      finishes: (r) => void (inRange(r.t, 9, 31) && (r.finished = 0)),
    });
    const av = analyzeAvailability(tl, [fault({ action: 'kill', target: 'server', firedAtS: 10.05, restartedAtS: 30.05 })], extra);
    expect(av.windows).toHaveLength(1);
    expect(av.windows[0]).toMatchObject({ startS: 10, fault: 0 });
  });

  it('(b) finds a matching pause from the stalled completions alone', () => {
    const tl = timeline({
      e2eS: 1,
      finishes: (r) => {
        if (inRange(r.t, 20, 30)) r.finished = 0;
        if (r.t === 30) r.finished = 11 * RATE; // the backlog drains on resume
      },
    });
    const av = analyzeAvailability(tl, [fault({ action: 'pause', target: 'matching', firedAtS: 20, restartedAtS: 30 })], extra);
    expect(av.windows).toEqual([{ startS: 20, endS: 30, signals: ['stall'], fault: 0, failedStarts: 0, errorsByCode: {} }]);
    expect(av.faults).toEqual([{ fault: 0, impact: 'outage', firstErrorAfterS: 0, recoveryS: 0 }]);
    expect(av.delayedWorkflows).toBe(10 * RATE);
    expect(av.failedStarts).toBe(0);
  });

  it('gives faults fired in the same second (both matching replicas paused at once) the window they caused together', () => {
    const tl = timeline({ e2eS: 1, finishes: (r) => void (inRange(r.t, 20, 30) && (r.finished = 0)) });
    const pause = (target: string) => fault({ action: 'pause', target, firedAtS: 20.2, restartedAtS: 30.1 });
    const av = analyzeAvailability(tl, [pause('matching-0'), pause('matching-1')], extra);
    expect(av.windows).toHaveLength(1);
    expect(av.faults.map((f) => f.impact)).toEqual(['outage', 'outage']);
  });

  it('(c) reports a fault that changed nothing as no visible impact, with no window', () => {
    const { timeline: tl, faults } = harmless();
    const av = analyzeAvailability(tl, faults, extra);
    expect(av.windows).toEqual([]);
    expect(av.unavailableSeconds).toBe(0);
    expect(av.faults).toEqual([{ fault: 0, impact: 'no visible impact', firstErrorAfterS: null, recoveryS: null }]);
  });

  it('(d) does not count RESOURCE_EXHAUSTED throttling as an outage, even when every start is throttled', () => {
    const tl = timeline({
      starts: (r) => {
        if (inRange(r.t, 10, 30)) Object.assign(r, { started: 0, completed: 0, errors: { RESOURCE_EXHAUSTED: RATE } });
      },
    });
    const av = analyzeAvailability(tl, [], extra);
    expect(av.windows).toEqual([]);
    expect(av.failedStartsByCode).toEqual({ RESOURCE_EXHAUSTED: 100 });
  });

  it('(e) never takes the ramp-up or the drain tail, with their empty seconds, for a stall', () => {
    const tl = timeline({ e2eS: 3, drainS: 15 });
    expect(tl.filter((r) => r.finished === 0).map((r) => r.t)).toEqual([0, 1, 2, ...Array.from({ length: 12 }, (_, i) => 63 + i)]);
    expect(analyzeAvailability(tl, [], extra).windows).toEqual([]);
    // Without e2e latencies the expected finish time is not known: still no stall.
    expect(analyzeAvailability(timeline({ e2eS: 3, drainS: 15, withE2ELatency: false }), [], extra).windows).toEqual([]);
    // Stragglers of the last seconds finishing long after the load: the tail waits, it does not stall.
    const stragglers = timeline({ drainS: 15, finishes: (r) => void (r.t === 59 ? (r.finished = 2) : r.t === 66 ? (r.finished = 3) : 0) });
    expect(analyzeAvailability(stragglers, [], extra).windows).toEqual([]);
  });

  it('expects no completion every second below 1 finish/s: a slipped finish at 0.5/s is not a stall', () => {
    const half = (r: IntervalRecord) => void Object.assign(r, r.t < 60 && r.t % 2 === 0 ? { target: 1, sent: 1, started: 1 } : { target: 0, sent: 0, started: 0 });
    const tl = timeline({ e2eS: 1, starts: half, finishes: (r) => void (r.t === 21 ? (r.finished = 0) : r.t === 23 ? (r.finished = 2) : 0) });
    expect(tl.slice(18, 24).map((r) => r.finished)).toEqual([0, 1, 0, 0, 0, 2]);
    expect(analyzeAvailability(tl, [], extra).windows).toEqual([]);
  });

  it('needs worker stats for the stall signal: finished undefined or always 0 shows nothing', () => {
    const paused = (r: IntervalRecord) => inRange(r.t, 20, 30);
    const undef = timeline({ finishes: (r) => void delete r.finished });
    const zeros = timeline({ finishes: (r) => void (r.finished = 0) });
    for (const tl of [undef, zeros]) expect(analyzeAvailability(tl, [], extra).windows).toEqual([]);
    // The same pause with worker stats is a window (control).
    const stats = timeline({ finishes: (r) => void (paused(r) && (r.finished = 0)) });
    expect(analyzeAvailability(stats, [], extra).windows.map((w) => [w.startS, w.endS, w.fault])).toEqual([[20, 30, null]]);
  });

  it('drops a lone empty second (finishes jittering across a boundary) but keeps two in a row', () => {
    const jitter = timeline({ finishes: (r) => void (r.t === 20 ? (r.finished = 0) : r.t === 21 ? (r.finished = 2 * RATE) : 0) });
    expect(analyzeAvailability(jitter, [], extra).windows).toEqual([]);
    const two = timeline({ finishes: (r) => void (r.t === 20 || r.t === 21 ? (r.finished = 0) : r.t === 22 ? (r.finished = 3 * RATE) : 0) });
    expect(analyzeAvailability(two, [], extra).windows.map((w) => [w.startS, w.endS])).toEqual([[20, 22]]);
  });

  it('needs most of a second to fail: a minority of UNAVAILABLE is not an outage, but is the first error', () => {
    const tl = timeline({
      starts: (r) => {
        if (inRange(r.t, 12, 20)) Object.assign(r, { started: RATE - 2, errors: { UNAVAILABLE: 2 } });
      },
    });
    const av = analyzeAvailability(tl, [fault({ action: 'kill', target: 'history-0', firedAtS: 10.5, restartedAtS: 20 })], extra);
    expect(av.windows).toEqual([]);
    expect(av.faults).toEqual([{ fault: 0, impact: 'no visible impact', firstErrorAfterS: 1.5, recoveryS: null }]);
  });

  it('bridges a one-second gap, splits at two, and counts censored and unanswered calls as no answer', () => {
    const tl = timeline({
      starts: (r) => {
        if ([10, 11, 13, 14].includes(r.t)) Object.assign(r, { started: 0, errors: { DEADLINE_EXCEEDED: RATE } });
        if (r.t === 40) Object.assign(r, { started: 1, errors: { [NO_ANSWER_CODE]: RATE - 1 } });
        if (r.t === 43) Object.assign(r, { started: 0 }); // sent, never answered, never censored
      },
    });
    const av = analyzeAvailability(tl, [], extra);
    expect(av.windows.map((w) => [w.startS, w.endS, w.signals])).toEqual([
      [10, 15, ['errors']],
      [40, 41, ['no-answer']],
      [43, 44, ['no-answer']],
    ]);
    expect(av.unavailableSeconds).toBe(7);
    expect(NO_ANSWER_CODE).toBe(timeoutAtDrain);
  });

  it('attributes a window to the latest fault before it, within its reach, and to none after the grace', () => {
    const tl = timeline({
      starts: (r) => {
        if (inRange(r.t, 12, 16) || inRange(r.t, 50, 53)) Object.assign(r, { started: 0, errors: { UNAVAILABLE: RATE } });
      },
    });
    const faults = [
      fault({ action: 'kill', target: 'frontend-0', firedAtS: 5, restartedAtS: 8 }),
      fault({ action: 'kill', target: 'history-0', firedAtS: 11.2, restartedAtS: null }), // fails over by itself
      fault({ action: 'stop', target: 'prometheus', firedAtS: 13, ok: false }), // did nothing
    ];
    const av = analyzeAvailability(tl, faults, extra);
    expect(av.windows.map((w) => [w.startS, w.endS, w.fault])).toEqual([
      [12, 16, 1],
      [50, 53, null], // 11.2 + 30 s grace is long over
    ]);
    expect(av.faults.map((f) => [f.impact, f.recoveryS])).toEqual([
      ['no visible impact', null],
      ['outage', 4.8],
      ['no visible impact', null],
    ]);
  });

  it('judges seconds past finalUntilS (a result written mid-run) by their errors only', () => {
    const snapshot = (lastErrors: Record<string, number>) =>
      timeline({
        e2eS: 1,
        starts: (r) => void (r.t === 39 && Object.assign(r, { started: 1, errors: lastErrors })),
        finishes: (r) => void (r.t >= 38 && (r.finished = 0)), // the workers' reports lag behind
      }).slice(0, 40);
    const inFlight = snapshot({});
    expect(analyzeAvailability(inFlight, [], extra).windows.map((w) => [w.startS, w.endS, w.signals])).toEqual([[38, 40, ['no-answer', 'stall']]]);
    expect(analyzeAvailability(inFlight, [], { ...extra, finalUntilS: 38 }).windows).toEqual([]);
    const failing = snapshot({ UNAVAILABLE: 4 });
    expect(analyzeAvailability(failing, [], { ...extra, finalUntilS: 38 }).windows.map((w) => [w.startS, w.endS, w.signals])).toEqual([[39, 40, ['errors']]]);
  });

  it('gives no recovery time to an outage that lasts until the load ends', () => {
    const tl = timeline({
      starts: (r) => {
        if (r.t >= 45 && r.t < 60) Object.assign(r, { started: 0, errors: { UNAVAILABLE: RATE } });
      },
    });
    const av = analyzeAvailability(tl, [fault({ action: 'kill', target: 'server', firedAtS: 45 })], extra);
    expect(av.windows.map((w) => [w.startS, w.endS])).toEqual([[45, 60]]);
    expect(av.faults[0]).toMatchObject({ impact: 'outage', recoveryS: null });
    expect(availabilityThresholdData(av).gauges.recovery_time).toEqual({ max: null });
  });
});

describe('(f) availability thresholds on analyzed runs', () => {
  const parse = (record: Parameters<typeof parseThresholds>[0]) => parseThresholds(record, (s) => parseDurationMs(s));
  const empty: ThresholdData = { trends: {}, rates: {}, counters: {} };
  const evaluate = (tl: IntervalRecord[], faults: Parameters<typeof analyzeAvailability>[1]) => {
    const data = { ...empty, ...availabilityThresholdData(analyzeAvailability(tl, faults, extra)) };
    return evaluateThresholds(parse({ unavailable_seconds: ['value<10'], recovery_time: ['max<30000'] }), data);
  };

  it('fails unavailable_seconds on the server outage and passes it on the harmless fault', () => {
    const down = serverDown();
    expect(evaluate(down.timeline, down.faults).map((r) => [r.metric, r.ok, r.value])).toEqual([
      ['unavailable_seconds', false, 20],
      ['recovery_time', true, 0],
    ]);
    const ok = harmless();
    expect(evaluate(ok.timeline, ok.faults).map((r) => [r.metric, r.ok, r.value])).toEqual([
      ['unavailable_seconds', true, 0],
      ['recovery_time', true, 0],
    ]);
  });
});

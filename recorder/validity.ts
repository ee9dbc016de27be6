import type { Availability, FaultRecord, IntervalRecord, LatencyStats } from './result-schema.js';

/** Bounds past which the generator is judged unable to hold the rate (the run is invalid). */
export interface ValidityBounds {
  maxSchedulingLagP99Ms: number;
  maxEventLoopDelayP99Ms: number;
  /** Fraction of steady intervals allowed above maxEventLoopDelayP99Ms. */
  eventLoopSaturatedFraction: number;
}

export const defaultValidityBounds: ValidityBounds = { maxSchedulingLagP99Ms: 25, maxEventLoopDelayP99Ms: 100, eventLoopSaturatedFraction: 0.1 };

/**
 * A fault on a process of this host (kill, restart, pause) shakes the generator's timers too: seconds
 * from the fault to this long after its restart count as the fault's, not the generator's.
 */
const faultSettleS = 10;

export interface ValidityInputs {
  records: IntervalRecord[];
  openModel: boolean;
  bounds: ValidityBounds;
  /** Steady-window scheduling lag. */
  lag: LatencyStats | undefined;
  sent: number;
  target: number;
  dropped: number;
  faults: FaultRecord[];
  availability?: Availability;
  /** Problems found outside the timeline (dead generator, undrained queue). */
  extra: string[];
}

/** Seconds [from, to) in which a local fault was acting on this host. */
function faultSpans(faults: FaultRecord[], endS: number): [number, number][] {
  return faults.filter((f) => f.firedAtS !== null && f.action !== 'exec' && f.ok).map((f) => [Math.floor(f.firedAtS!), (f.restartedAtS ?? endS) + faultSettleS]);
}

const within = (t: number, spans: [number, number][]) => spans.some(([a, b]) => t >= a && t < b);
const span = (ts: number[]) => (ts.length ? `t=${Math.min(...ts)}–${Math.max(...ts) + 1} s` : '');

/**
 * Why the run's numbers cannot be read as the cluster's (invalid: the generator failed to send on
 * time, "sent late"), and notes on what looked like it but was not the generator's doing: lag or a
 * saturated event loop only while a fault hit this host, starts dropped at the cap only while the
 * server was unavailable ("not started": the server's, shown by the availability verdict instead).
 */
export function judgeValidity(v: ValidityInputs): { reasons: string[]; notes: string[] } {
  const { bounds, records } = v;
  const reasons = [...v.extra];
  const notes: string[] = [];
  const endS = records.length;
  const spans = faultSpans(v.faults, endS);
  const windows: [number, number][] = (v.availability?.windows ?? []).map((w) => [w.startS, w.endS]);
  const steady = records.filter((r) => r.phase === 'steady');

  if (v.dropped > 0) {
    const inOutage = records.filter((r) => within(r.t, windows)).reduce((n, r) => n + r.dropped, 0);
    const outside = v.dropped - inOutage;
    if (outside > 0) reasons.push(`${outside} starts dropped at the in-flight cap outside any outage: the generator (or the server) could not keep up`);
    if (inOutage > 0) notes.push(`${inOutage} starts dropped at the in-flight cap while the server was unavailable: calls waiting on the dead server filled the cap (the server's doing, see availability)`);
  }
  if (v.openModel && v.lag && v.lag.p99 > bounds.maxSchedulingLagP99Ms) {
    const high = steady.filter((r) => (r.latencyMs.schedulingLag?.p99 ?? 0) > bounds.maxSchedulingLagP99Ms).map((r) => r.t);
    if (spans.length && high.length && high.every((t) => within(t, spans))) {
      notes.push(`scheduling lag p99 ${v.lag.p99} ms > ${bounds.maxSchedulingLagP99Ms} ms, but only in seconds ${span(high)} while an injected fault acted on this host: not counted against the generator`);
    } else reasons.push(`scheduling lag p99 ${v.lag.p99} ms > ${bounds.maxSchedulingLagP99Ms} ms: starts went out late`);
  }
  if (v.openModel && v.target > 0 && v.sent + v.dropped < v.target * 0.99) reasons.push(`only ${v.sent} of ${v.target} intended starts were sent`);
  const saturated = steady.filter((r) => r.generator.eventLoopDelayP99Ms > bounds.maxEventLoopDelayP99Ms);
  const counted = saturated.filter((r) => !within(r.t, spans));
  if (steady.length > 0 && counted.length / steady.length > bounds.eventLoopSaturatedFraction) {
    reasons.push(`event-loop delay p99 above ${bounds.maxEventLoopDelayP99Ms} ms in ${counted.length} of ${steady.length} steady intervals: the generator was saturated`);
  } else if (steady.length > 0 && saturated.length / steady.length > bounds.eventLoopSaturatedFraction) {
    notes.push(`event-loop delay p99 above ${bounds.maxEventLoopDelayP99Ms} ms in ${saturated.length} steady intervals, all while an injected fault acted on this host: not counted against the generator`);
  }
  return { reasons, notes };
}

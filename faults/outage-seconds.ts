/**
 * Which seconds of a run clients saw the cluster unavailable, and why: the per-second rules behind
 * faults/availability.ts. Outcomes count in the second their call was *intended* (result-schema.ts),
 * so a call that hung through an outage still lands in the second it was meant for.
 */
import type { FaultRecord, IntervalRecord, OutageSignal } from '../recorder/result-schema.js';

/**
 * Codes meaning the cluster failed the call itself (gRPC's server-error class): it did not answer in
 * time or refused because a part of it was down. Not in the list, and so never an outage:
 * - RESOURCE_EXHAUSTED: throttling. The cluster answered and asked the client to back off (namespace
 *   RPS, a task-queue limit): it is protecting itself, as designed, and counting it would turn every
 *   overload test into an "outage" blamed on the nearest fault.
 * - INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, UNAUTHENTICATED,
 *   FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED: the request was wrong, not the cluster.
 * - CANCELLED, ABORTED and error classes that are not gRPC statuses: client-side or harness-side.
 * They still count as outcomes, so they dilute a second's failing fraction like successes do.
 */
export const OUTAGE_ERROR_CODES: ReadonlySet<string> = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'UNKNOWN', 'DATA_LOSS']);

/** The generator's code for a call still unanswered when the drain timed out (generator/dispatcher.ts `timeoutAtDrain`). */
export const NO_ANSWER_CODE = 'TIMEOUT_AT_DRAIN';

/**
 * A second is unavailable when failing calls (outage codes, unanswered, dropped) make up at least this
 * fraction of its outcomes: "most starts failed". Below it a client retry would mostly succeed, which
 * is degradation, not an outage.
 */
export const OUTAGE_FRACTION = 0.5;

/** ...and at least this many calls failed, so an idle second (no load) is never an outage. */
export const MIN_FAILING_CALLS = 1;

/**
 * A start answered this late (median of its second) was not answered in time: clients retried through
 * the outage (the SDK retries UNAVAILABLE for ~20 s) and got in once the cluster was back. A healthy
 * start takes milliseconds; under heavy load tens or hundreds of them, never seconds.
 */
export const SLOW_START_MS = 2000;

/** Completions are only expected every second when the steady finish rate is at least this (per s). */
export const MIN_STEADY_FINISH_RATE = 1;

/** The steady finish rate needs this many seconds before the first fault, else the whole run is used. */
export const STEADY_MIN_SAMPLES = 3;

/**
 * Ramp-up ends at the first second whose completions reach this fraction of the steady rate: until
 * then the workers are still warming up (first workflow tasks, caches) and an empty second is normal.
 */
export const RAMP_UP_FINISH_FRACTION = 0.5;

/** Seconds of starts looked back over to decide whether completions were due (work in flight). */
export const STALL_LOOKBACK_S = 10;

/** Work due and not finished, in workflows, for an empty second to be a stall. */
export const STALL_MIN_OUTSTANDING = 1;

export interface SecondVerdict {
  t: number;
  endS: number;
  /** Empty: the second was available. */
  signals: OutageSignal[];
  /** Outage-code errors and calls with no answer (unanswered, censored, dropped) intended in it. */
  failing: number;
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * `errors`: outage codes; `no-answer`: starts answered only after SLOW_START_MS, calls censored at the drain, sent but never answered (a record
 * written before its calls were done, an abandoned drain), or dropped at the in-flight cap (never sent
 * because earlier calls had no answer: to a client, the cluster did not answer).
 */
function callSignals(r: IntervalRecord, final: boolean): { signals: OutageSignal[]; failing: number } {
  const allErrors = sum(Object.values(r.errors));
  const outage = sum(
    Object.entries(r.errors)
      .filter(([code]) => OUTAGE_ERROR_CODES.has(code))
      .map(([, n]) => n),
  );
  // Not final yet: its open calls may just be on their way.
  const unanswered = (final ? Math.max(0, r.sent - r.started - allErrors) : 0) + r.dropped;
  // Answered, but only after retrying through the outage: to the client, no answer in time.
  const late = (r.latencyMs.start?.p50 ?? 0) >= SLOW_START_MS ? r.started : 0;
  const noAnswer = (r.errors[NO_ANSWER_CODE] ?? 0) + unanswered + late;
  const failing = outage + noAnswer;
  const outcomes = r.started + allErrors + unanswered;
  if (failing < MIN_FAILING_CALLS || failing < OUTAGE_FRACTION * outcomes) return { signals: [], failing };
  const signals: OutageSignal[] = [];
  if (outage > 0) signals.push('errors');
  if (noAnswer > 0) signals.push('no-answer');
  return { signals, failing };
}

const loaded = (r: IntervalRecord): boolean => r.sent > 0 || r.target > 0;

/**
 * Seconds in which the workers finished nothing though completions were due: a steady finish rate of
 * at least MIN_STEADY_FINISH_RATE (median of `finished` over loaded seconds before the first fault),
 * past the ramp-up, no later than the last loaded second (in the drain tail finishes drop to zero by
 * themselves), and work due that has not finished: starts of the lookback window, shifted by the
 * typical end-to-end latency D, outnumber the finishes since. No worker stats (`finished` undefined,
 * or never above zero) disables the signal, and so does a second not final yet (worker reports lag).
 */
function stallSeconds(timeline: IntervalRecord[], faults: FaultRecord[], finalUntilS: number): Set<number> {
  const stalls = new Set<number>();
  const withStats = timeline.filter((r) => r.finished !== undefined);
  const firstFinish = withStats.find((r) => r.finished! > 0);
  if (!firstFinish) return stalls;
  const firstFaultS = Math.min(Infinity, ...faults.flatMap((f) => (f.firedAtS === null ? [] : [f.firedAtS])));
  const candidates = withStats.filter((r) => loaded(r) && r.t >= firstFinish.t);
  const preFault = candidates.filter((r) => r.t + r.durationS <= firstFaultS);
  const base = preFault.length >= STEADY_MIN_SAMPLES ? preFault : candidates;
  const rate = median(base.map((r) => r.finished!));
  if (rate < MIN_STEADY_FINISH_RATE) return stalls;
  const rampEnd = withStats.find((r) => r.finished! >= Math.max(1, rate * RAMP_UP_FINISH_FRACTION))?.t ?? Infinity;
  const lastLoad = timeline.reduce((m, r) => (loaded(r) ? Math.max(m, r.t) : m), -Infinity);
  const e2eP50s = base.flatMap((r) => (r.latencyMs.e2e ? [r.latencyMs.e2e.p50] : []));
  const lagS = Math.floor(median(e2eP50s) / 1000); // D: a start in second s is due to finish by s + D
  const started = new Map(timeline.map((r) => [r.t, r.started]));
  const finished = new Map(timeline.map((r) => [r.t, r.finished ?? 0]));
  const total = (m: Map<number, number>, from: number, to: number): number => {
    let n = 0;
    for (let s = from; s <= to; s++) n += m.get(s) ?? 0;
    return n;
  };
  for (const r of withStats) {
    if (r.finished !== 0 || r.t < rampEnd || r.t > lastLoad || r.t + r.durationS > finalUntilS) continue;
    const due = total(started, r.t - lagS - STALL_LOOKBACK_S, r.t - lagS);
    const done = total(finished, r.t - STALL_LOOKBACK_S, r.t - 1);
    if (due - done >= STALL_MIN_OUTSTANDING) stalls.add(r.t);
  }
  return stalls;
}

/**
 * Every second's verdict, in time order. A stall second standing alone (no unavailable neighbour) is
 * dropped: at low rates finishes jitter across second boundaries (0 then 2), which is not an outage.
 * Seconds ending after `finalUntilS` (a result written mid-run) are judged by their errors only.
 */
export function classifySeconds(timeline: IntervalRecord[], faults: FaultRecord[], finalUntilS = Infinity): SecondVerdict[] {
  const records = [...timeline].sort((a, b) => a.t - b.t);
  const stalls = stallSeconds(records, faults, finalUntilS);
  const verdicts = records.map((r): SecondVerdict => {
    const { signals, failing } = callSignals(r, r.t + r.durationS <= finalUntilS);
    if (stalls.has(r.t)) signals.push('stall');
    return { t: r.t, endS: r.t + r.durationS, signals, failing };
  });
  const down = new Set(verdicts.filter((v) => v.signals.length > 0).map((v) => v.t));
  for (const v of verdicts) {
    const stallOnly = v.signals.length === 1 && v.signals[0] === 'stall';
    if (stallOnly && !down.has(v.t - 1) && !down.has(v.endS)) v.signals = [];
  }
  return verdicts;
}

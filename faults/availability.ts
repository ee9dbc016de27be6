/**
 * Outage windows from the per-second outcomes, and what each injected fault did to clients: the
 * figures an SRE validating failover asks for (how long were starts failing, how soon after the fault,
 * how long after the restart until they worked again). Per-second rules: faults/outage-seconds.ts.
 */
import type { Availability, AvailabilityWindow, FaultImpact, FaultRecord, IntervalRecord, OutageSignal } from '../recorder/result-schema.js';
import { classifySeconds, type SecondVerdict } from './outage-seconds.js';

export * from './outage-seconds.js';

/** Unavailable seconds this far apart (s) are one window: one good second inside a failover is not a recovery. */
export const MERGE_GAP_S = 1;

/**
 * A fault explains a window starting up to this long (s) before the second it fired in: calls already
 * in flight when it hit fail with it, and they count in the earlier second they were intended in.
 */
export const FAULT_LEAD_S = 2;

/**
 * ...and one starting up to this long (s) after the target came back (its restart, an exec's end, or
 * the fault itself when nothing restarts it): long enough for shard rebalancing, membership and client
 * reconnect backoff, short enough that a later, unrelated outage is not pinned on it.
 */
export const ATTRIBUTION_GRACE_S = 30;

/** Kill/stop/pause/resume that failed did nothing; an exec that exited non-zero still ran. */
function tookEffect(f: FaultRecord): f is FaultRecord & { firedAtS: number } {
  return f.firedAtS !== null && (f.ok || f.action === 'exec');
}

/** Seconds from t0 during which a window may start and still be this fault's doing. */
function reach(f: FaultRecord & { firedAtS: number }): { from: number; to: number } {
  const back = Math.max(f.restartedAtS ?? f.firedAtS, f.endedAtS ?? f.firedAtS);
  return { from: Math.floor(f.firedAtS) - FAULT_LEAD_S, to: back + ATTRIBUTION_GRACE_S };
}

function addCodes(into: Record<string, number>, from: Record<string, number>): void {
  for (const [code, n] of Object.entries(from)) into[code] = (into[code] ?? 0) + n;
}

/**
 * The latest fault fired at or before the window's first second (within its reach); failing that, the
 * earliest fired just after it (FAULT_LEAD_S). Null when none explains it.
 */
function attribute(startS: number, faults: FaultRecord[]): number | null {
  const fits = faults.flatMap((f, i) => {
    if (!tookEffect(f)) return [];
    const { from, to } = reach(f);
    return from <= startS && startS <= to ? [{ i, at: f.firedAtS }] : [];
  });
  const before = fits.filter((f) => f.at < startS + 1).sort((a, b) => b.at - a.at);
  const after = fits.filter((f) => f.at >= startS + 1).sort((a, b) => a.at - b.at);
  return (before[0] ?? after[0])?.i ?? null;
}

/** Unavailable seconds merged into windows, bridging gaps of at most MERGE_GAP_S. */
function mergeWindows(verdicts: SecondVerdict[], byT: Map<number, IntervalRecord>, faults: FaultRecord[]): AvailabilityWindow[] {
  const windows: AvailabilityWindow[] = [];
  let open: AvailabilityWindow | undefined;
  for (const v of verdicts) {
    if (v.signals.length === 0) continue;
    if (!open || v.t - open.endS > MERGE_GAP_S) {
      open = { startS: v.t, endS: v.endS, signals: [], fault: null, failedStarts: 0, errorsByCode: {} };
      windows.push(open);
    }
    open.endS = v.endS;
    for (const s of v.signals) if (!open.signals.includes(s)) open.signals.push(s);
  }
  const order: OutageSignal[] = ['errors', 'no-answer', 'stall'];
  const verdictAt = new Map(verdicts.map((v) => [v.t, v]));
  for (const w of windows) {
    w.fault = attribute(w.startS, faults);
    // A fault cannot stall completions before it fired: a stall-only second leading into it is the
    // workers' last report landing across the boundary, not the outage.
    const firedS = w.fault === null ? undefined : Math.floor(faults[w.fault]!.firedAtS ?? 0);
    while (firedS !== undefined && w.startS < firedS && w.endS - w.startS > 1 && verdictAt.get(w.startS)?.signals.join() === 'stall') w.startS++;
    w.signals = order.filter((sig) => verdicts.some((v) => v.t >= w.startS && v.t < w.endS && v.signals.includes(sig)));
    for (let t = w.startS; t < w.endS; t++) {
      const r = byT.get(t);
      if (!r) continue;
      addCodes(w.errorsByCode, r.errors);
      w.failedStarts += Object.values(r.errors).reduce((s, n) => s + n, 0);
    }
  }
  return windows;
}

/**
 * Whether a later second proves the window over: starts succeed again after failed starts, and
 * completions resume after a stall. A window that merely ran into the end of the load (the drain
 * sends nothing, so nothing fails) has not recovered.
 */
function recovered(w: AvailabilityWindow, timeline: IntervalRecord[]): boolean {
  const after = timeline.filter((r) => r.t >= w.endS);
  const startsBack = after.some((r) => r.started > 0);
  const finishesBack = after.some((r) => (r.finished ?? 0) > 0);
  return (!w.signals.some((s) => s !== 'stall') || startsBack) && (!w.signals.includes('stall') || finishesBack);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * - firstErrorAfterS: from the fire time to the first second (the one it fired in counts, as 0) with a
 *   failing call or an unavailable verdict, within the fault's reach. Throttling and client-error codes
 *   do not count: they show at baseline under load and are not the cluster being unreachable.
 * - recoveryS: from the restart to the end of the fault's last window; from the fault itself when
 *   nothing restarted it, or when the window ended over a second before the restart (the cluster failed
 *   over on its own, e.g. shards moved off a killed history replica). Never negative; null when the
 *   window never recovered.
 */
function impactOf(i: number, faults: FaultRecord[], windows: AvailabilityWindow[], verdicts: SecondVerdict[], timeline: IntervalRecord[]): FaultImpact {
  const f = faults[i]!;
  // Faults fired within the same second (both matching replicas paused at once) share their windows.
  const together = (j: number | null) => j === i || (j !== null && f.firedAtS !== null && faults[j]!.firedAtS !== null && Math.abs(faults[j]!.firedAtS! - f.firedAtS) < 1);
  const mine = windows.filter((w) => together(w.fault));
  if (!tookEffect(f)) return { fault: i, impact: mine.length ? 'outage' : 'no visible impact', firstErrorAfterS: null, recoveryS: null };
  const fired = f.firedAtS;
  const { to } = reach(f);
  const first = verdicts.find((v) => v.endS > fired && v.t <= to && (v.failing > 0 || v.signals.length > 0));
  const firstErrorAfterS = first ? round3(Math.max(0, first.t - fired)) : null;
  const last = mine.reduce<AvailabilityWindow | undefined>((a, w) => (!a || w.endS > a.endS ? w : a), undefined);
  let recoveryS: number | null = null;
  if (last && recovered(last, timeline)) {
    // The window's end is known to the second: a restart up to a second after it still came first.
    const from = f.restartedAtS !== null && f.restartedAtS < last.endS + 1 ? f.restartedAtS : fired;
    recoveryS = round3(Math.max(0, last.endS - from));
  }
  return { fault: i, impact: mine.length ? 'outage' : 'no visible impact', firstErrorAfterS, recoveryS };
}

export interface AvailabilityExtra {
  /** Starts whose answer was lost (UNAVAILABLE, DEADLINE_EXCEEDED) but that the server has. */
  startedAnswerLost: number;
  /** Started workflows the server lost (reconciliation's unaccounted). */
  lostWork: number;
  /**
   * Seconds from t0 up to which the timeline is final: every call answered or censored, worker
   * completions reported. Omit after the drain; mid-run, later seconds are judged by errors only
   * (their open calls and unreported completions are not an outage).
   */
  finalUntilS?: number;
}

/** Outage windows, their attribution to `faults` (indices into it), per-fault impact and run totals. */
export function analyzeAvailability(timeline: IntervalRecord[], faults: FaultRecord[], extra: AvailabilityExtra): Availability {
  const records = [...timeline].sort((a, b) => a.t - b.t);
  const byT = new Map(records.map((r) => [r.t, r]));
  const verdicts = classifySeconds(records, faults, extra.finalUntilS);
  const windows = mergeWindows(verdicts, byT, faults);
  const failedStartsByCode: Record<string, number> = {};
  for (const r of records) addCodes(failedStartsByCode, r.errors);
  let delayedWorkflows = 0;
  for (const w of windows) for (let t = w.startS; t < w.endS; t++) delayedWorkflows += byT.get(t)?.started ?? 0;
  return {
    windows,
    unavailableSeconds: windows.reduce((s, w) => s + (w.endS - w.startS), 0),
    faults: faults.map((_, i) => impactOf(i, faults, windows, verdicts, records)),
    failedStarts: Object.values(failedStartsByCode).reduce((s, n) => s + n, 0),
    failedStartsByCode,
    startedAnswerLost: extra.startedAnswerLost,
    delayedWorkflows,
    lostWork: extra.lostWork,
  };
}

import type { ExecutorConfig } from '../scenarios/types.js';
import { parseDurationMs, parsePositiveDurationMs } from '../scenarios/duration.js';
import { UsageError } from '../core/errors.js';

/**
 * The open-model arrival schedule. A rate profile is a list of linear segments (rate per second at
 * the start and end of each); the number of arrivals intended by time t is the integral of the rate,
 * and arrival n (0-based) is intended at the time the integral reaches n. Everything is computed
 * from t0, never accumulated, so timer jitter cannot drift the schedule.
 */
export interface Segment {
  /** Seconds from t0. */
  startS: number;
  durationS: number;
  /** Arrivals per second at the segment's start and end; linear in between. */
  fromRate: number;
  toRate: number;
}

export interface RateProfile {
  segments: Segment[];
  durationS: number;
  /** Arrivals the whole profile intends: every n with intended time < durationS. */
  totalArrivals: number;
  peakRate: number;
}

function perSecond(rate: number, timeUnit: string | undefined): number {
  return rate / (parsePositiveDurationMs(timeUnit ?? '1s', 'timeUnit') / 1000);
}

export function buildProfile(segments: Segment[]): RateProfile {
  const durationS = segments.reduce((s, seg) => s + seg.durationS, 0);
  const profile: RateProfile = { segments, durationS, totalArrivals: 0, peakRate: Math.max(0, ...segments.flatMap((s) => [s.fromRate, s.toRate])) };
  // Arrival n is intended at C⁻¹(n); those with C⁻¹(n) < durationS are the ones issued.
  profile.totalArrivals = Math.ceil(integral(profile, durationS) - 1e-9);
  return profile;
}

/** The rate profile of an arrival-rate executor. */
export function profileOf(executor: ExecutorConfig): RateProfile {
  if (executor.executor === 'constant-arrival-rate') {
    const rate = perSecond(executor.rate, executor.timeUnit);
    if (!(rate > 0)) throw new UsageError(`rate must be > 0, got ${executor.rate}`);
    return buildProfile([{ startS: 0, durationS: parsePositiveDurationMs(executor.duration) / 1000, fromRate: rate, toRate: rate }]);
  }
  if (executor.executor === 'ramping-arrival-rate') {
    if (!executor.stages?.length) throw new UsageError('ramping-arrival-rate needs at least one stage');
    let rate = perSecond(executor.startRate ?? 0, executor.timeUnit);
    let start = 0;
    const segments: Segment[] = [];
    for (const stage of executor.stages) {
      const target = perSecond(stage.target, executor.timeUnit);
      if (!(target >= 0)) throw new UsageError(`stage target must be >= 0, got ${stage.target}`);
      const durationS = parseDurationMs(stage.duration, 'stage duration') / 1000;
      segments.push({ startS: start, durationS, fromRate: rate, toRate: target });
      start += durationS;
      rate = target;
    }
    const profile = buildProfile(segments);
    if (profile.durationS <= 0) throw new UsageError('ramping-arrival-rate stages add up to zero duration');
    return profile;
  }
  throw new Error(`${executor.executor} is a closed-model executor: it has no arrival schedule`);
}

/** Arrivals intended by tS seconds after t0 (a real number; its floor+1 arrivals are due, n = 0 at t = 0). */
export function integral(profile: RateProfile, tS: number): number {
  let sum = 0;
  for (const seg of profile.segments) {
    if (tS <= seg.startS) break;
    const tau = Math.min(tS - seg.startS, seg.durationS);
    const slope = seg.durationS > 0 ? (seg.toRate - seg.fromRate) / seg.durationS : 0;
    sum += seg.fromRate * tau + (slope * tau * tau) / 2;
  }
  return sum;
}

/** Arrivals due by tS: every n with intendedTime(n) <= tS, capped at the profile's total. */
export function targetCount(profile: RateProfile, tS: number): number {
  if (tS < 0) return 0;
  return Math.min(profile.totalArrivals, Math.floor(integral(profile, tS) + 1e-9) + 1);
}

/** Seconds from t0 at which arrival n (0-based) is intended: the inverse of the integral at n. */
export function intendedTime(profile: RateProfile, n: number): number {
  let before = 0;
  for (const seg of profile.segments) {
    const slope = seg.durationS > 0 ? (seg.toRate - seg.fromRate) / seg.durationS : 0;
    const inSeg = seg.fromRate * seg.durationS + (slope * seg.durationS * seg.durationS) / 2;
    if (n < before + inSeg || seg === profile.segments[profile.segments.length - 1]) {
      const c = n - before;
      // Solve fromRate·τ + slope/2·τ² = c; this form stays exact when slope → 0 or fromRate = 0.
      const disc = seg.fromRate * seg.fromRate + 2 * slope * c;
      const tau = c === 0 ? 0 : (2 * c) / (seg.fromRate + Math.sqrt(Math.max(0, disc)));
      return seg.startS + tau;
    }
    before += inSeg;
  }
  return Infinity;
}

/** Arrivals intended strictly before tS: every n with n < integral(tS). */
export function arrivalsBefore(profile: RateProfile, tS: number): number {
  if (tS <= 0) return 0;
  if (tS >= profile.durationS) return profile.totalArrivals;
  return Math.min(profile.totalArrivals, Math.ceil(integral(profile, tS) - 1e-9));
}

/** Intended starts in the 1-s interval [k, k+1) (the target column of the timeline). */
export function targetInInterval(profile: RateProfile, k: number): number {
  return arrivalsBefore(profile, k + 1) - arrivalsBefore(profile, k);
}

/**
 * Number formats of every output (report, compare, soak, history, capacity, profile, monitoring, the
 * live view): one place, so the same figure reads the same wherever it is printed. Missing or
 * non-finite values print as `missing` in every text output.
 */
export const missing = '—';

const absent = (v: number | null | undefined): v is null | undefined => v === null || v === undefined || !Number.isFinite(v);

/** Exactly `digits` decimals: table columns that line up (12.0, 3.5). */
export function fixed(v: number | null | undefined, digits = 1): string {
  return absent(v) ? missing : v.toFixed(digits);
}

/** At most `digits` decimals, trailing zeros dropped (12.3, 4, 0.125): figures in prose and data files. */
export function rounded(v: number, digits = 1): string {
  return String(Math.round(v * 10 ** digits) / 10 ** digits);
}

/**
 * Fewer decimals as a value grows: `digits` below 10, one fewer from 10, two fewer from 100, never
 * fewer than `least` (latencies: 3.25, 42.5, 310).
 */
export function byMagnitude(v: number, digits = 2, least = 0): string {
  const a = Math.abs(v);
  return v.toFixed(Math.max(least, a >= 100 ? digits - 2 : a >= 10 ? digits - 1 : digits));
}

/** Large counts and rates with a k/M/G suffix; integers as they are; below 1 with three decimals. */
export function compact(v: number | null | undefined, digits = 1): string {
  if (absent(v)) return missing;
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${(v / 1e9).toFixed(digits)}G`;
  if (abs >= 1e6) return `${(v / 1e6).toFixed(digits)}M`;
  if (abs >= 1e4) return `${(v / 1e3).toFixed(digits)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(abs < 1 ? 3 : digits);
}

/**
 * A ratio (0.125) as a percentage with fixed decimals ("12.5%"); `signed` puts + before a rise;
 * `unit` ' pp' for a difference of two rates (percentage points).
 */
export function percent(ratio: number, digits = 1, signed = false, unit = '%'): string {
  return `${signed && ratio > 0 ? '+' : ''}${(ratio * 100).toFixed(digits)}${unit}`;
}

/** A ratio as a percentage with at most `digits` decimals, trailing zeros dropped ("60%", "12.5%"): shares. */
export function share(ratio: number, digits = 1): string {
  return `${Math.round(ratio * 10 ** (digits + 2)) / 10 ** digits}%`;
}

/** A significance test's p, as the tables print it. */
export function pValue(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

import type { ResultFile, ResultSummary } from '../runner/result-schema.js';
import type { Recommendation } from './recommendations/index.js';

/** The plain-language verdict at the top of every output. */
export interface Verdict {
  status: 'pass' | 'fail' | 'invalid';
  headline: string;
  details: string[];
}

export const fmt = (value: number | null | undefined, digits = 1): string => {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(digits)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(digits)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(digits)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(abs < 1 ? 3 : digits);
};

export function verdict(result: ResultFile, recommendations: Recommendation[]): Verdict {
  const s = result.summary;
  const failed = s.thresholds.filter((t) => !t.ok);
  const start = s.latencyMs.start;
  const details: string[] = [];
  const held = `achieved ${fmt(s.achievedRate)}/s of ${fmt(s.targetRate)}/s target`;
  const latency = start ? `, start p99 ${fmt(start.p99)} ms` : '';
  if (result.status !== 'completed') details.push(`The run did not complete (status ${result.status}); numbers cover what ran.`);
  if (s.reconciliation && s.reconciliation.unaccounted > 0) details.push(`${s.reconciliation.unaccounted} started workflows are unaccounted for after reconciliation.`);
  for (const t of failed) details.push(`Threshold failed: ${t.metric} ${t.expression} (observed ${fmt(t.value)}).`);
  const top = recommendations[0];
  if (top && top.rule !== 'invalid-run') details.push(`Likely limiting factor: ${top.title} (${top.confidence} confidence).`);

  if (!s.valid) {
    return {
      status: 'invalid',
      headline: `INVALID RUN: the generator could not hold the rate (${held}); do not read server capacity from it.`,
      details: [...s.invalidReasons.map((r) => `Invalid: ${r}`), ...details],
    };
  }
  if (failed.length > 0) {
    return { status: 'fail', headline: `FAIL: ${failed.length} of ${s.thresholds.length} thresholds failed; ${held}${latency}.`, details };
  }
  return {
    status: 'pass',
    headline: `PASS: ${s.thresholds.length ? `all ${s.thresholds.length} thresholds held` : 'no thresholds defined'}; ${held}${latency}.`,
    details,
  };
}

/** The one sentence that says how outcomes were attributed (shown next to every latency table). */
export function attributionNote(s: ResultSummary): string {
  const steady = s.outcomesByPhase?.steady;
  const late = steady ? ` ${steady.afterPhaseEnd} of the steady window's ${steady.outcomes} call outcomes arrived after it ended and ${steady.censored} were censored at the drain timeout (counted as errors, latency = time waited).` : '';
  return `Every call counts in the window it was meant for: latencies and errors are attributed to the arrival's intended time, and the run drains before computing them.${late}`;
}

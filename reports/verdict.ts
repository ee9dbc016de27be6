import type { ResultFile, ResultSummary } from '../recorder/result-schema.js';
import { compact, rounded } from './format.js';
import type { Recommendation } from './recommendations/index.js';

/** The plain-language verdict at the top of every output. */
export interface Verdict {
  status: 'pass' | 'fail' | 'invalid';
  headline: string;
  details: string[];
}

export function verdict(result: ResultFile, recommendations: Recommendation[]): Verdict {
  const s = result.summary;
  const failed = s.thresholds.filter((t) => !t.ok);
  const start = s.latencyMs.start;
  const details: string[] = [];
  const held = `achieved ${compact(s.achievedRate)}/s of ${compact(s.targetRate)}/s target`;
  const latency = start ? `, start p99 ${compact(start.p99)} ms` : '';
  if (result.status !== 'completed') details.push(`The run did not complete (status ${result.status}); numbers cover what ran.`);
  if (s.reconciliation && s.reconciliation.unaccounted > 0) details.push(`${s.reconciliation.unaccounted} started workflows are unaccounted for after reconciliation.`);
  for (const t of failed) details.push(`Threshold failed: ${t.metric} ${t.expression} (observed ${compact(t.value)}).`);
  const top = recommendations[0];
  if (top && top.rule !== 'invalid-run') details.push(`Likely limiting factor: ${top.title} (${top.confidence} confidence).`);

  for (const n of s.validityNotes ?? []) details.push(`Not counted against the generator: ${n}.`);
  const outage = outageHeadline(result);
  if (outage) details.unshift(...faultLines(result));
  else details.push(...faultLines(result));

  if (!s.valid) {
    return {
      status: 'invalid',
      headline: `INVALID RUN: the generator could not hold the rate (${held}); do not read server capacity from it.`,
      details: [...s.invalidReasons.map((r) => `Invalid: ${r}`), ...details],
    };
  }
  if (outage) return { status: failed.length > 0 ? 'fail' : 'pass', headline: `${failed.length > 0 ? 'FAIL' : 'PASS'} with an outage: ${outage}`, details };
  if (failed.length > 0) {
    return { status: 'fail', headline: `FAIL: ${failed.length} of ${s.thresholds.length} thresholds failed; ${held}${latency}.`, details };
  }
  return {
    status: 'pass',
    headline: `PASS: ${s.thresholds.length ? `all ${s.thresholds.length} thresholds held` : 'no thresholds defined'}; ${held}${latency}.`,
    details,
  };
}

const seconds = (s: number) => rounded(s, 1);

/**
 * "server unavailable 31 s (t=12–43 s) after kill server at t=12 s; 195 starts failed UNAVAILABLE;
 * recovered 4 s after restart": the availability windows, the fault each follows and what clients saw.
 */
function outageHeadline(result: ResultFile): string | undefined {
  const av = result.availability;
  if (!av || av.windows.length === 0) return undefined;
  const faults = result.faults ?? [];
  const spans = av.windows.map((w) => {
    const f = w.fault !== null ? faults[w.fault] : undefined;
    return `t=${seconds(w.startS)}–${seconds(w.endS)} s${f ? ` after ${f.action} ${f.target} at t=${seconds(f.firedAtS ?? f.atS)} s` : ', no injected fault explains it'}`;
  });
  const codes = Object.entries(av.failedStartsByCode)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${n} ${c}`)
    .join(', ');
  const recovered = av.faults.filter((f) => f.recoveryS !== null).map((f) => `recovered ${seconds(f.recoveryS!)} s after ${faults[f.fault]?.restartedAtS != null ? 'restart' : 'the fault'}`);
  const stalls = av.windows.some((w) => w.signals.includes('stall')) ? '; completions stalled' : '';
  return `server unavailable ${seconds(av.unavailableSeconds)} s (${spans.join('; ')}); ${av.failedStarts ? `${av.failedStarts} starts failed (${codes})` : 'no start failed'}${stalls}${recovered.length ? `; ${recovered.join(', ')}` : ''}; lost work ${av.lostWork}.`;
}

/** One line per injected fault: what was done and how it showed (or "no visible impact"). */
function faultLines(result: ResultFile): string[] {
  const impacts = new Map((result.availability?.faults ?? []).map((f) => [f.fault, f]));
  return (result.faults ?? []).map((f, i) => {
    const impact = impacts.get(i);
    const seen = !impact ? '' : impact.impact === 'outage' ? `: outage, first error ${impact.firstErrorAfterS === null ? '—' : `${seconds(impact.firstErrorAfterS)} s`} after it` : ': no visible impact';
    return `Fault ${f.action} ${f.target} at t=${f.firedAtS === null ? `${f.atS} s (not fired)` : `${seconds(f.firedAtS)} s`}${f.ok ? '' : ' FAILED'} — ${f.outcome}${seen}.`;
  });
}

/** The one sentence that says how outcomes were attributed (shown next to every latency table). */
export function attributionNote(s: ResultSummary): string {
  const steady = s.outcomesByPhase?.steady;
  const late = steady ? ` ${steady.afterPhaseEnd} of the steady window's ${steady.outcomes} call outcomes arrived after it ended and ${steady.censored} were censored at the drain timeout (counted as errors, latency = time waited).` : '';
  return `Every call counts in the window it was meant for: latencies and errors are attributed to the arrival's intended time, and the run drains before computing them.${late}`;
}

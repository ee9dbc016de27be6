import type { Availability, FaultRecord } from '../../recorder/result-schema.js';
import { clientErrors, found, rank } from './evidence.js';
import type { Evidence, Rule, RuleInput } from './types.js';

/** What the windows' injected faults were ("kill history-1"), or "no injected fault". */
function windowCauses(av: Availability, faults: FaultRecord[]): string[] {
  return [...new Set(av.windows.map((w) => (w.fault !== null && faults[w.fault] ? `${faults[w.fault]!.action} ${faults[w.fault]!.target}` : 'no injected fault')))];
}

/**
 * Windows no fault explains, made only of late answers and stalled completions (no outage-class error
 * code), while the server was refusing requests for rate (RESOURCE_EXHAUSTED, from its metrics or at
 * the client): the cluster answered, it throttled. Client retries of throttled calls make answers late,
 * and throttled workers finish nothing for seconds; the throttling rules name that cause, and calling
 * it an outage would send the reader to pod restarts instead of the rate limits.
 */
function throttled(input: RuleInput, av: Availability, injected: boolean): boolean {
  if (injected || av.windows.some((w) => w.signals.includes('errors'))) return false;
  const server = rank(found(input, 'resource_exhausted'), 'peak').some((s) => s.value > 0);
  return server || clientErrors(input, 'RESOURCE_EXHAUSTED') > 0;
}

/**
 * Clients saw the cluster unavailable (availability windows): name the outage and the fault behind it,
 * with the evidence that separates it from a generator problem (starts were sent on schedule: the
 * generator held the rate, the server did not answer).
 */
export const outage: Rule = {
  id: 'outage',
  symptom: 'availability windows: most starts failed with server-side codes, were not answered in time, or completions stalled (not while the server was only throttling)',
  evaluate(input) {
    const { result } = input;
    const av = result.availability;
    if (!av || av.windows.length === 0) return null;
    const s = result.summary;
    const causes = windowCauses(av, result.faults ?? []);
    const injected = causes.every((c) => c !== 'no injected fault');
    if (throttled(input, av, injected)) return null;
    const ev: Evidence[] = [
      { metric: 'unavailable seconds', observed: av.unavailableSeconds, limit: 0, unit: 's', stat: `total, ${av.windows.map((w) => `t=${w.startS}–${w.endS} s`).join(', ')}` },
      { metric: 'starts sent vs intended', observed: s.sentStarts, limit: s.targetStarts, unit: 'starts', stat: 'total (sent on schedule: not the generator)' },
    ];
    if (s.generator) ev.push({ metric: 'scheduling lag p99', observed: s.generator.schedulingLagP99Ms, limit: null, unit: 'ms', stat: 'steady' });
    for (const [code, n] of Object.entries(av.failedStartsByCode)) ev.push({ metric: 'failed starts', where: `code=${code}`, observed: n, limit: 0, unit: 'starts', stat: 'total' });
    const recoveries = av.faults.filter((f) => f.recoveryS !== null).map((f) => f.recoveryS!);
    if (recoveries.length) ev.push({ metric: 'recovery after restart', observed: Math.max(...recoveries), limit: null, unit: 's', stat: 'max' });
    ev.push({ metric: 'lost work (started, not found)', observed: av.lostWork, limit: 0, unit: 'workflows', stat: 'total' });
    return {
      rule: this.id,
      title: `Server unavailable ${av.unavailableSeconds} s (${causes.join(', ')})`,
      knob: 'HA: service replicas and their spread, readiness probes and PodDisruptionBudgets; client retry policy',
      action: injected
        ? `Expected for an injected fault: judge it by recovery time and lost work (thresholds unavailable_seconds, recovery_time). ${av.lostWork > 0 ? `${av.lostWork} acknowledged starts were lost: investigate persistence.` : 'Nothing acknowledged was lost.'}`
        : 'No injected fault explains it: check the server logs and pod restarts for the window; capacity numbers from this run are not steady-state.',
      confidence: 'high',
      // Outranks capacity rules: an outage distorts every server figure in its window.
      score: 90,
      evidence: ev,
    };
  },
};

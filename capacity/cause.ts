import { found, rank } from '../reports/recommendations/evidence.js';
import { evaluateRules, type Evidence, type Recommendation, type RuleInput } from '../reports/recommendations/index.js';
import { eventLoopLimitMs } from '../reports/recommendations/invalid-run.js';
import { throttledShare } from '../reports/recommendations/k8s-service-cpu.js';
import { persistenceP99LimitMs } from '../reports/recommendations/persistence-latency.js';
import { dominantShare, hostBusyLimit, processCoreLimit, resourceWindow, shareOf } from '../reports/recommendations/resource-stats.js';
import { scheduleToStartLimitMs } from '../reports/recommendations/schedule-to-start.js';

/**
 * The limiting factor of a capacity search, never null once a step failed: the top rule, or
 * "unexplained" with the candidates that came closest to their limits and the data that was missing.
 */
export type CapacityCause = Recommendation & {
  /** Evidence a rule could have used but that was not there (no Prometheus, no cAdvisor, ...). */
  missingData?: string[];
};

const candidateStat = 'closest to its limit (no rule fired)';
/** evidence.ts configuredLimitHit's floor, and the outage rule's score (an outage distorts everything). */
const configuredLimitScore = 45;
const outageScore = 90;
/** Rules about the load generator's side of an invalid step. */
const generatorSide = ['invalid-run', 'host-cpu-saturated'];

/** Every signal a rule reads, with its value and the limit that rule uses: what came closest. */
function candidates(input: RuleInput): Evidence[] {
  const out: Evidence[] = [];
  const add = (metric: string, observed: number | undefined, limit: number, unit: string, where?: string) => {
    if (observed !== undefined && Number.isFinite(observed)) out.push({ metric, where, observed: Math.round(observed * 1000) / 1000, limit, unit, stat: candidateStat });
  };
  const w = resourceWindow(input.result);
  if (w) {
    add('host CPU busy (/proc/stat), p75', w.busySustained, Math.round(hostBusyLimit * w.cores * 100) / 100, 'cores', `${w.cores} cores`);
    const worker = w.consumers.filter((c) => c.kind === 'worker').sort((a, b) => b.sustained - a.sustained)[0];
    if (worker) add('worker process CPU, p75', worker.sustained, processCoreLimit, 'cores', worker.id);
    const named = w.consumers.filter((c) => c.kind !== 'other' && c.kind !== 'worker')[0];
    if (named) add('largest component share of the busy CPU', shareOf(w, named.mean), dominantShare, 'share', `${named.id} (${named.mean.toFixed(2)} cores)`);
  }
  const top = (id: string, kind: 'sustained' | 'peak') => rank(found(input, id), kind)[0];
  const s2s = top('task_schedule_to_start_p99', 'sustained');
  if (s2s) add('task_schedule_to_start_latency p99', s2s.value, scheduleToStartLimitMs, 'ms', s2s.where);
  const persistence = top('persistence_p99', 'sustained');
  if (persistence) add('persistence_latency p99', persistence.value, persistenceP99LimitMs, 'ms', persistence.where);
  const throttled = top('pod_cpu_throttled_ratio', 'sustained');
  if (throttled) add('container_cpu_cfs_throttled ratio', throttled.value, throttledShare, 'ratio', throttled.where);
  const steady = input.result.timeline.filter((r) => r.phase === 'steady');
  if (steady.length) add('generator event-loop delay p99 (worst second)', Math.max(...steady.map((r) => r.generator.eventLoopDelayP99Ms)), eventLoopLimitMs, 'ms');
  const ratio = (e: Evidence) => (e.limit ? e.observed / e.limit : 0);
  return out.sort((a, b) => ratio(b) - ratio(a)).slice(0, 5);
}

/** What a rule would have needed and the step did not have. */
export function missingData(input: RuleInput, prometheusUrl: string | undefined): string[] {
  const out: string[] = [];
  const server = input.server;
  if (!server)
    out.push(
      prometheusUrl
        ? `no server metrics: Prometheus at ${prometheusUrl} could not be queried for this step`
        : 'no Prometheus: server metrics (RPC, persistence, schedule-to-start, resource-exhausted causes) were not collected; give --prometheus-url',
    );
  const status = (id: string) => server?.results.find((r) => r.id === id)?.status;
  const absent = (id: string) => `${status(id) ?? 'not queried'}`;
  if (server && status('pod_cpu') !== 'ok') out.push(`no cAdvisor/kube-state-metrics series (pod CPU, throttling, limits; pod_cpu: ${absent('pod_cpu')}): not a Kubernetes cluster, or not scraped by this Prometheus`);
  if (server && status('worker_slots_available') !== 'ok') out.push(`no worker SDK metrics (slots, pollers; worker_slots_available: ${absent('worker_slots_available')}): the workers are not scraped by this Prometheus`);
  const res = input.result.resources;
  if (!res || res.t.length === 0) out.push('no process resource samples in the step result (a result without `resources`, or no /proc)');
  else out.push(...res.missing);
  return out;
}

/** The top rule at the failed step, or "unexplained" with the closest candidates; missing data either way. */
export function causeOf(input: RuleInput | undefined, prometheusUrl: string | undefined): CapacityCause {
  if (!input) {
    return {
      rule: 'unexplained',
      title: 'Unexplained: the failed step left no result to examine',
      knob: 'none identified',
      action: 'Re-run the search; the step result directory is missing.',
      confidence: 'low',
      score: 0,
      evidence: [],
      missingData: ['the step result.json'],
    };
  }
  const missing = missingData(input, prometheusUrl);
  const ranked = evaluateRules(input);
  // A configured limit the load was seen to hit (scored 45–89: frontend RPS, task-queue rate, slots,
  // a CPU limit) answers "what limits the rate" even when the generator ran late on a busy host too:
  // the server refused or capped the rate whatever the generator did.
  const configured = ranked.find((r) => r.score >= configuredLimitScore && r.score < outageScore);
  const top = configured && generatorSide.includes(ranked[0]!.rule) ? configured : ranked[0];
  if (top) return { ...top, missingData: missing };
  return {
    rule: 'unexplained',
    title: 'Unexplained: no rule matched the first unsustainable step',
    knob: 'none identified',
    action: `No known bottleneck crossed its limit. The closest candidates are listed with their values${missing.length ? `; the evidence was incomplete (${missing.length} source${missing.length > 1 ? 's' : ''} missing)` : ''}.`,
    confidence: 'low',
    score: 0,
    evidence: candidates(input),
    missingData: missing,
  };
}

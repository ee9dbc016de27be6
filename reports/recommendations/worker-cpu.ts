import { consumerEvidence, hostBusyEvidence, processCoreLimit, resourceScore, resourceWindow, saturated } from './resource-stats.js';
import { evidence, found, rank } from './evidence.js';
import type { Recommendation, Rule, RuleInput } from './types.js';

/**
 * A remote run (worker pods, no /proc here): the workers' own CPU counters through Prometheus
 * (`worker_process_cpu`, one series per pod and process), steady points only.
 */
function fromWorkerMetrics(input: RuleInput, id: string): Recommendation | null {
  const values = rank(found(input, 'worker_process_cpu'), 'sustained');
  const hot = values.filter((v) => v.value >= processCoreLimit);
  if (hot.length === 0) return null;
  const slots = input.result.environment.workerTuning?.activitySlots;
  return {
    rule: id,
    title: `Worker processes CPU-bound: ${hot.length} of ${values.length} at ${hot[0]!.value.toFixed(2)} cores or more`,
    knob: `worker pod replicas or bench worker --processes (now ${values.length} processes seen); not slots (${slots ? `${slots} activity slots per process now` : 'SDK defaults now'})`,
    action: 'Add worker processes or pods; more slots per process do not help a process that is out of CPU.',
    confidence: 'high',
    score: resourceScore(hot[0]!.value),
    evidence: hot.map((v) => evidence('bench_worker_process_cpu_seconds_total rate', v, 'sustained', processCoreLimit, 'cores')),
  };
}

/**
 * A worker process runs workflow and activity code on one JavaScript thread: at about a core it
 * cannot take more tasks however many slots it has. More processes (or pods) is the knob.
 */
export const workerCpu: Rule = {
  id: 'worker-cpu-bound',
  symptom: `a bench worker process at or above ${processCoreLimit} cores sustained (p75 over the steady window)`,
  evaluate(input) {
    const { result } = input;
    const w = resourceWindow(result);
    if (!w) return fromWorkerMetrics(input, this.id);
    const hot = w.consumers.filter((c) => c.kind === 'worker' && c.sustained >= processCoreLimit);
    if (hot.length === 0) return null;
    const workers = w.consumers.filter((c) => c.kind === 'worker').length;
    const full = saturated(w);
    const slots = result.environment.workerTuning?.activitySlots;
    return {
      rule: this.id,
      title: `Worker processes CPU-bound: ${hot.map((c) => c.id).join(', ')} at ${Math.max(...hot.map((c) => c.sustained)).toFixed(2)} cores`,
      knob: `worker processes: bench run --workers (now ${workers}), bench worker --processes, worker pod replicas; not slots (${slots ? `${slots} activity slots per process now` : 'SDK defaults now'})`,
      action: `Add worker processes${full ? ' on another host: this one has no spare core' : ''}; more slots per process do not help a process that is out of CPU.`,
      confidence: 'high',
      score: resourceScore(Math.max(...hot.map((c) => c.sustained))),
      evidence: [...hot.map((c) => ({ ...consumerEvidence(w, c, processCoreLimit), observed: c.sustained, stat: `sustained (p75, ${w.label})` })), ...(full ? [hostBusyEvidence(w)] : [])],
    };
  },
};

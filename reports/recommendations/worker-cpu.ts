import { consumerEvidence, hostBusyEvidence, processCoreLimit, resourceScore, resourceWindow, saturated } from './resource-stats.js';
import type { Rule } from './types.js';

/**
 * A worker process runs workflow and activity code on one JavaScript thread: at about a core it
 * cannot take more tasks however many slots it has. More processes (or pods) is the knob.
 */
export const workerCpu: Rule = {
  id: 'worker-cpu-bound',
  symptom: `a bench worker process at or above ${processCoreLimit} cores sustained (p75 over the steady window)`,
  evaluate({ result }) {
    const w = resourceWindow(result);
    if (!w) return null;
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
      evidence: [
        ...hot.map((c) => ({ ...consumerEvidence(w, c, processCoreLimit), observed: c.sustained, stat: `sustained (p75, ${w.label})` })),
        ...(full ? [hostBusyEvidence(w)] : []),
      ],
    };
  },
};

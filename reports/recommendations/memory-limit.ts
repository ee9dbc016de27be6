import { evidence, found, rank, recommend } from './evidence.js';
import type { Evidence, Rule } from './types.js';

export const memoryNearLimit = 0.9;

/** A pod close to its memory limit is one spike from an OOM kill (and history caches grow with load). */
export const memoryLimit: Rule = {
  id: 'memory-limit',
  symptom: `working-set memory peak above ${memoryNearLimit * 100}% of the limit`,
  evaluate(input) {
    const limits = new Map(rank(found(input, 'pod_memory_limit'), 'peak').map((h) => [h.labels.pod, h.value]));
    const ev: Evidence[] = [];
    for (const usage of rank(found(input, 'pod_memory'), 'peak')) {
      const limit = limits.get(usage.labels.pod);
      if (limit && usage.value > memoryNearLimit * limit) ev.push(evidence('container_memory_working_set_bytes', usage, 'peak', limit, 'bytes'));
    }
    if (ev.length === 0) return null;
    return recommend({
      rule: this.id,
      title: 'Pods near their memory limit',
      knob: 'memory requests/limits of the service; history.cacheMaxSize for history',
      action: 'Raise the memory limit (and request) of the named pods, or lower cache sizes.',
      confidence: 'medium',
      evidence: ev.slice(0, 4),
    });
  },
};

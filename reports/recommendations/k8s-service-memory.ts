import { found, rank, recommend } from './evidence.js';
import { bytes, opsPageServices, podService, workloadName } from './k8s-services.js';
import type { Evidence, Rule } from './types.js';

/** Working set above this fraction of the limit: one burst from an OOM kill. */
export const memoryNearLimit = 0.9;

/** A service's pods near their memory limit, named by service with the limit they have now. */
export const serviceMemoryLimit: Rule = {
  id: 'service-memory-limit',
  symptom: `a service's pod with working-set memory peak above ${memoryNearLimit * 100}% of its limit`,
  evaluate(input) {
    const limits = new Map(rank(found(input, 'pod_memory_limit'), 'peak').map((h) => [h.labels.pod, h.value]));
    const hits: Evidence[] = [];
    const services = new Map<string, number>();
    for (const u of rank(found(input, 'pod_memory'), 'peak')) {
      const limit = limits.get(u.labels.pod);
      if (!limit || u.value <= memoryNearLimit * limit) continue;
      const service = podService(u.labels.pod ?? '');
      services.set(service, limit);
      hits.push({ metric: 'container_memory_working_set_bytes vs kube_pod_container_resource_limits{resource="memory"}', where: `service=${service}, pod=${u.labels.pod}`, observed: u.value, limit, unit: 'bytes', stat: 'peak' });
    }
    if (!hits.length) return null;
    const knob = [...services]
      .map(([s, limit]) => `${workloadName(s)} memory limit (now ${bytes(limit)}${opsPageServices[s] ? `, ops page ${bytes(opsPageServices[s]!.memory.request)}–${bytes(opsPageServices[s]!.memory.limit)}` : ''})`)
      .join('; ');
    return recommend({
      rule: this.id,
      title: `${[...services.keys()].map(workloadName).join(', ')} near the memory limit`,
      knob: `${knob}${services.has('history') ? '; history.cacheMaxSize / history.eventsCacheMaxSize' : ''}`,
      action: 'Raise the memory limit (and request) of the named service, or lower its cache sizes; an OOM kill restarts the pod and moves its shards.',
      confidence: 'medium',
      evidence: hits.slice(0, 4),
    });
  },
};

import { evidence, found, rank, recommend, type SeriesValue } from './evidence.js';
import type { Evidence, Rule } from './types.js';

export const throttledLimit = 0.1;
export const cpuNearLimit = 0.9;

/** A service throttled by its CPU limit, or using all of it: replicas or requests/limits. */
export const cpuLimit: Rule = {
  id: 'cpu-limit',
  symptom: `CPU throttled in more than ${throttledLimit * 100}% of periods, or CPU sustained above ${cpuNearLimit * 100}% of the limit`,
  evaluate(input) {
    const throttled = rank(found(input, 'pod_cpu_throttled_ratio'), 'sustained').filter((h) => h.value > throttledLimit);
    const limits = new Map(rank(found(input, 'pod_cpu_limit'), 'peak').map((h) => [h.labels.pod, h]));
    const atLimit: [SeriesValue, number][] = [];
    for (const usage of rank(found(input, 'pod_cpu'), 'sustained')) {
      const limit = limits.get(usage.labels.pod)?.value;
      if (limit && usage.value > cpuNearLimit * limit) atLimit.push([usage, limit]);
    }
    if (throttled.length === 0 && atLimit.length === 0) return null;
    const ev: Evidence[] = [
      ...throttled.slice(0, 3).map((h) => evidence('container_cpu_cfs_throttled_periods / periods', h, 'sustained', throttledLimit, 'ratio')),
      ...atLimit.slice(0, 3).map(([h, limit]) => evidence('container_cpu_usage_seconds_total rate', h, 'sustained', limit, 'cores')),
    ];
    const pods = [...new Set([...throttled, ...atLimit.map(([h]) => h)].map((h) => h.labels.pod))].slice(0, 4).join(', ');
    return recommend({
      rule: this.id,
      title: 'CPU-limited pods',
      knob: 'replicas or CPU requests/limits of the service',
      action: `Add replicas or raise the CPU limit (and request) for: ${pods}.`,
      confidence: throttled.length > 0 && atLimit.length > 0 ? 'high' : 'medium',
      evidence: ev,
    });
  },
};

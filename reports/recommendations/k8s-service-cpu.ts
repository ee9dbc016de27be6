import { configuredLimitHit, found, rank, recommend, type SeriesValue } from './evidence.js';
import { cores, opsPageServices, podService, workloadName } from './k8s-services.js';
import type { Evidence, Rule } from './types.js';

/** CFS throttling in more than this share of periods (sustained) means the pod runs into its limit. */
export const throttledShare = 0.1;
/** Usage at this fraction of the limit (sustained) leaves no headroom for a burst. */
export const usageNearLimit = 0.9;

interface ServiceFinding {
  service: string;
  pods: Set<string>;
  throttled: SeriesValue[];
  atLimit: { usage: SeriesValue; limit: number }[];
  limit?: number;
  request?: number;
  worst: number;
}

/**
 * Kubernetes pods (cAdvisor, kube-state-metrics through Prometheus) grouped by the service they run,
 * with the pod-to-service mapping of the operations page: the service whose pods are throttled at
 * their CPU limit, or use nearly all of it, and what to change — its replicas or its limit, with the
 * values it has now.
 */
export const serviceCpuThrottled: Rule = {
  id: 'service-cpu-throttled',
  symptom: `a service's pods CPU-throttled in more than ${throttledShare * 100}% of CFS periods, or using more than ${usageNearLimit * 100}% of their CPU limit (sustained)`,
  evaluate(input) {
    const usage = rank(found(input, 'pod_cpu'), 'sustained');
    if (!usage.length && !found(input, 'pod_cpu_throttled_ratio')) return null;
    const limits = new Map(rank(found(input, 'pod_cpu_limit'), 'peak').map((h) => [h.labels.pod, h.value]));
    const requests = new Map(rank(found(input, 'pod_cpu_request'), 'peak').map((h) => [h.labels.pod, h.value]));
    const byService = new Map<string, ServiceFinding>();
    const finding = (pod: string) => {
      const service = podService(pod);
      let f = byService.get(service);
      if (!f) byService.set(service, (f = { service, pods: new Set(), throttled: [], atLimit: [], worst: 0 }));
      f.pods.add(pod);
      f.limit ??= limits.get(pod);
      f.request ??= requests.get(pod);
      return f;
    };
    for (const h of rank(found(input, 'pod_cpu_throttled_ratio'), 'sustained')) {
      const f = finding(h.labels.pod ?? '');
      if (h.value > throttledShare) {
        f.throttled.push(h);
        f.worst = Math.max(f.worst, h.value / throttledShare);
      }
    }
    for (const u of usage) {
      const f = finding(u.labels.pod ?? '');
      const limit = limits.get(u.labels.pod);
      if (limit && u.value > usageNearLimit * limit) {
        f.atLimit.push({ usage: u, limit });
        f.worst = Math.max(f.worst, u.value / (usageNearLimit * limit));
      }
    }
    const hit = [...byService.values()].filter((f) => f.throttled.length || f.atLimit.length).sort((a, b) => b.worst - a.worst);
    if (!hit.length) return null;
    const ev: Evidence[] = hit.slice(0, 3).flatMap((f) => [
      ...f.throttled.slice(0, 2).map(
        (h): Evidence => ({
          metric: 'container_cpu_cfs_throttled_periods / container_cpu_cfs_periods',
          where: `service=${f.service}, pod=${h.labels.pod}`,
          observed: h.value,
          limit: throttledShare,
          unit: 'ratio',
          stat: 'sustained (p75 over the window)',
        }),
      ),
      ...f.atLimit.slice(0, 2).map(
        ({ usage: u, limit }): Evidence => ({
          metric: 'container_cpu_usage_seconds_total rate vs kube_pod_container_resource_limits{resource="cpu"}',
          where: `service=${f.service}, pod=${u.labels.pod}`,
          observed: u.value,
          limit,
          unit: 'cores',
          stat: 'sustained (p75 over the window)',
        }),
      ),
    ]);
    const knobs = hit.slice(0, 3).map((f) => {
      const ops = opsPageServices[f.service];
      // kube-state-metrics says what the pods have now; the ops page what they were deployed with.
      const value = (seen: number | undefined, planned: number | undefined) => (seen !== undefined ? cores(seen) : planned !== undefined ? `${cores(planned)} (ops page)` : undefined);
      const limit = value(f.limit, ops?.cpu.limit) ?? 'unknown';
      const request = value(f.request, ops?.cpu.request);
      return `${workloadName(f.service)}: replicas (${f.pods.size} pods seen${ops ? `, ops page ${ops.replicas}` : ''}) or CPU limit (now ${limit}${request ? `, request ${request}` : ''})`;
    });
    const throttled = hit.some((f) => f.throttled.length > 0);
    const rec = recommend({
      rule: this.id,
      title: `${hit
        .slice(0, 3)
        .map((f) => workloadName(f.service))
        .join(', ')} ${throttled ? 'throttled at its CPU limit' : 'at its CPU limit'}`,
      knob: knobs.join('; '),
      action:
        `Raise the CPU limit (a throttled pod stalls every request it holds for the rest of the 100 ms period) or add replicas to spread the load; for history, replicas also spread the shards. ${hit[0]!.service === 'history' ? 'History is where workflow state transitions run: it is the usual first limit.' : ''}`.trim(),
      confidence: hit.some((f) => f.throttled.length && f.atLimit.length) ? 'high' : 'medium',
      evidence: ev,
    });
    // A pod held at its configured limit explains the latencies the other rules see in that service.
    return throttled ? configuredLimitHit(rec) : rec;
  },
};

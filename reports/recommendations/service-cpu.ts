import { cores, opsPageServices, workloadName } from './k8s-services.js';
import { consumerEvidence, dominant, dominantShare, hostBusyEvidence, resourceScore, resourceWindow, type Consumer } from './resource-stats.js';
import type { Rule } from './types.js';

/** What to turn for a service: locally the split topology's replicas; on the cluster its replicas or CPU limit. */
function serviceKnob(c: Consumer): string {
  const services = c.services ?? [];
  if (services.length !== 1) {
    return `the server process hosts ${services.join(', ') || 'every service'}: bench stack up --topology split shows which one; on the cluster, that service's replicas or CPU limit`;
  }
  const s = services[0]!;
  const ops = opsPageServices[s];
  const cluster = ops ? `; on the cluster ${workloadName(s)}: ${ops.replicas} replicas, CPU ${cores(ops.cpu.request)}–${cores(ops.cpu.limit)}` : '';
  return `${s} replicas (bench stack up --topology split --replicas N) or the cores it may use${cluster}`;
}

/** A Temporal server process takes the largest share of a saturated host (or all of it). */
export const serviceCpu: Rule = {
  id: 'temporal-service-cpu',
  symptom: `a temporal-server process with at least ${dominantShare * 100}% of a saturated host's busy CPU, or nearly all of its cores`,
  evaluate({ result }) {
    const w = resourceWindow(result);
    if (!w) return null;
    const temporal = w.consumers.filter((c) => c.kind === 'temporal');
    // Split topology: the hottest process is the service to scale; single: the one server process.
    const top = temporal[0];
    const hit = top && dominant(w, (c) => c.id === top.id);
    if (!top || !hit) return null;
    const label = top.services?.length === 1 ? top.services[0]! : top.id;
    return {
      rule: this.id,
      title: `Temporal ${label} is CPU-bound: ${top.mean.toFixed(2)} cores, ${Math.round(hit.share * 100)}% of the busy CPU`,
      knob: serviceKnob(top),
      action: `${top.id} uses the most CPU on a host with no spare core; ${
        temporal
          .slice(1, 4)
          .map((c) => `${c.id} ${c.mean.toFixed(2)}`)
          .join(', ') || 'no other server process'
      }. Give it more cores or spread it over more replicas.`,
      confidence: 'high',
      score: resourceScore(hit.share),
      evidence: [consumerEvidence(w, top), hostBusyEvidence(w), ...temporal.slice(1, 3).map((c) => consumerEvidence(w, c))],
    };
  },
};

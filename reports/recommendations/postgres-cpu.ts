import { consumerEvidence, dominant, dominantShare, hostBusyEvidence, resourceScore, resourceWindow } from './resource-stats.js';
import type { Rule } from './types.js';

/** The PostgreSQL backends serving the stack's databases (and their server's background work) take the host. */
export const postgresCpu: Rule = {
  id: 'postgres-cpu',
  symptom: `PostgreSQL backends of the stack's databases with at least ${dominantShare * 100}% of a saturated host's busy CPU, or nearly all of its cores`,
  evaluate({ result }) {
    const w = resourceWindow(result);
    if (!w) return null;
    const hit = dominant(w, (c) => c.kind === 'postgres');
    if (!hit) return null;
    return {
      rule: this.id,
      title: `PostgreSQL is CPU-bound: ${hit.mean.toFixed(2)} cores, ${Math.round(hit.share * 100)}% of the busy CPU`,
      knob: 'PostgreSQL cores: a bigger or dedicated database host (the cluster: temporal-db); persistence.maxConns only adds concurrency, not CPU',
      action: 'Give the database its own cores, or lower the write load per workflow (fewer activities/timers per workflow, history.cacheMaxSize so reads hit the cache).',
      confidence: 'high',
      score: resourceScore(hit.share),
      evidence: [...hit.members.map((c) => consumerEvidence(w, c)), hostBusyEvidence(w)],
    };
  },
};

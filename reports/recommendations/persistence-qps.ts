import { evidence, found, rank, recommend } from './evidence.js';
import type { Evidence, Rule } from './types.js';

const knobByService: Record<string, string> = {
  history: 'history.persistenceMaxQPS (9000)',
  matching: 'matching.persistenceMaxQPS (3000)',
  frontend: 'frontend.persistenceMaxQPS (2000)',
};

/** The server's own persistence rate limiter rejecting calls: the per-service persistenceMaxQPS. */
export const persistenceQps: Rule = {
  id: 'persistence-qps-limit',
  symptom: 'persistence_errors_resource_exhausted, or resource exhausted with a PersistenceLimit cause',
  evaluate(input) {
    const direct = rank(found(input, 'persistence_resource_exhausted'), 'peak').filter((h) => h.value > 0);
    const causes = rank(found(input, 'resource_exhausted'), 'peak', (l) => /persistence/i.test(l.resource_exhausted_cause ?? '')).filter((h) => h.value > 0);
    if (direct.length === 0 && causes.length === 0) return null;
    const ev: Evidence[] = [
      ...direct.slice(0, 3).map((h) => evidence('persistence_errors_resource_exhausted', h, 'peak', 0, 'errors/s')),
      ...causes.slice(0, 2).map((h) => evidence('service_errors_resource_exhausted', h, 'peak', 0, 'errors/s')),
    ];
    const services = [...new Set([...direct, ...causes].map((h) => h.labels.service_name).filter((s): s is string => !!s && s in knobByService))];
    return recommend({
      rule: this.id,
      title: 'Persistence QPS limiter is rejecting calls',
      knob: (services.length ? services : Object.keys(knobByService)).map((s) => knobByService[s]).join(', '),
      action: 'Raise persistenceMaxQPS for the named service(s) if the database has headroom; otherwise scale the database first.',
      confidence: 'high',
      evidence: ev,
    });
  },
};

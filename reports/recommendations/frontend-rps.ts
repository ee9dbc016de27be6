import { clientErrors, configuredLimitHit, evidence, found, rank, recommend } from './evidence.js';
import type { Evidence, Rule } from './types.js';

/** Frontend rejecting requests for rate (RpsLimit / namespace RPS): the frontend rate-limit knobs. */
export const frontendRps: Rule = {
  id: 'frontend-rps-limit',
  symptom: 'service_errors_resource_exhausted on frontend with an RPS cause',
  evaluate(input) {
    const causes = found(input, 'resource_exhausted');
    const hits = rank(causes, 'peak', (l) => l.service_name === 'frontend' && /rps|ratelimit/i.test(l.resource_exhausted_cause ?? ''));
    const worst = hits.find((h) => h.value > 0);
    const client = clientErrors(input, 'RESOURCE_EXHAUSTED');
    // Client-side RESOURCE_EXHAUSTED counts only when the server's causes are unknown.
    if (!worst && !(client > 0 && !causes)) return null;
    const ev: Evidence[] = [];
    if (worst) ev.push(evidence('service_errors_resource_exhausted', worst, 'peak', 0, 'errors/s'));
    if (client > 0) ev.push({ metric: 'client RESOURCE_EXHAUSTED errors', observed: client, limit: 0, unit: 'errors', stat: 'total' });
    const rpc = rank(found(input, 'rpc_rate'), 'peak', (l) => l.service_name === 'frontend');
    const frontendRate = rpc.reduce((sum, s) => sum + s.value, 0);
    if (frontendRate > 0) ev.push({ metric: 'service_requests (frontend, all operations)', observed: frontendRate, limit: 2400, unit: 'req/s', stat: `sum of per-operation peaks over ${rpc[0]!.scope}` });
    const rec = recommend({
      rule: this.id,
      title: 'Frontend is rate-limiting requests',
      knob: 'frontend.rps (2400/instance), frontend.namespaceRPS (2400), frontend.globalNamespaceRPS',
      action: 'Raise the frontend RPS limits for the namespace, or add frontend replicas (frontend.rps is per instance).',
      confidence: worst ? 'high' : 'medium',
      evidence: ev,
    });
    // The server itself says it rejected requests for rate: worker calls are throttled too, so
    // exhausted slots and slow schedule-to-start follow from it.
    return worst ? configuredLimitHit(rec) : rec;
  },
};

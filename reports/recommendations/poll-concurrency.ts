import { evidence, found, rank, recommend } from './evidence.js';
import type { Rule } from './types.js';

/** Frontend refusing long polls for concurrency: the concurrent-poll limit per namespace. */
export const pollConcurrency: Rule = {
  id: 'poll-concurrency-limit',
  symptom: 'service_errors_resource_exhausted with a ConcurrentLimit cause',
  evaluate(input) {
    const worst = rank(found(input, 'resource_exhausted'), 'peak', (l) => /concurrent/i.test(l.resource_exhausted_cause ?? '')).find((h) => h.value > 0);
    if (!worst) return null;
    return recommend({
      rule: this.id,
      title: 'Too many concurrent long polls for the namespace',
      knob: 'frontend.namespaceCount (1200)',
      action: 'Raise frontend.namespaceCount, or run fewer pollers per worker (they are rejected anyway).',
      confidence: 'high',
      evidence: [evidence('service_errors_resource_exhausted', worst, 'peak', 0, 'errors/s')],
    });
  },
};

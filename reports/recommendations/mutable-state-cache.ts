import { evidence, found, rank, recommend } from './evidence.js';
import type { Rule } from './types.js';

/** Every new workflow misses once, so only a sustained miss ratio well above that counts. */
export const cacheMissLimit = 0.3;

/** History reloads mutable state from the database: the per-shard cache is too small. */
export const mutableStateCache: Rule = {
  id: 'mutable-state-cache',
  symptom: `mutable-state cache miss ratio sustained above ${cacheMissLimit}`,
  evaluate(input) {
    const worst = rank(found(input, 'mutable_state_cache_miss_ratio'), 'sustained').find((h) => h.value > cacheMissLimit);
    if (!worst) return null;
    return recommend({
      rule: this.id,
      title: 'Mutable-state cache misses often',
      knob: 'history.cacheMaxSize (512 per shard)',
      action: 'Raise history.cacheMaxSize (costs history memory: check the memory panel), or add history replicas.',
      // Short-lived workflows miss by design; a high ratio is a hint, not proof.
      confidence: worst.value > 0.6 ? 'medium' : 'low',
      evidence: [evidence('cache_miss / cache_requests (mutablestate)', worst, 'sustained', cacheMissLimit, 'ratio')],
    });
  },
};

import { evidence, found, rank, recommend } from './evidence.js';
import type { Rule } from './types.js';

export const syncMatchTarget = 0.95;

/** Tasks go through the database instead of straight to a waiting poller: pollers are behind. */
export const syncMatch: Rule = {
  id: 'sync-match',
  symptom: `sync-match rate sustained below ${syncMatchTarget * 100}%`,
  evaluate(input) {
    const low = rank(found(input, 'sync_match_ratio'), 'sustainedLow').filter((h) => h.value < syncMatchTarget);
    if (low.length === 0) return null;
    return recommend(
      {
        rule: this.id,
        title: 'Sync-match rate is low',
        knob: 'worker pollers / replicas; matching.numTaskqueueReadPartitions / numTaskqueueWritePartitions',
        action: 'Workers are not polling fast enough to take tasks directly: add pollers or workers; check the task queue partitions.',
        confidence: low[0]!.value < 0.8 ? 'high' : 'medium',
        evidence: low.map((h) => evidence('poll_success_sync / poll_success', h, 'sustainedLow', syncMatchTarget, 'ratio')),
      },
      true,
    );
  },
};

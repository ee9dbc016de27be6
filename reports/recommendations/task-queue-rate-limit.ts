import { configuredLimitHit, recommend } from './evidence.js';
import { slowScheduleToStart } from './schedule-to-start.js';
import type { Rule } from './types.js';

/**
 * The run's workers cap activity dispatch for the whole task queue (maxTaskQueueActivitiesPerSecond,
 * enforced by matching): above that rate, activities queue and schedule-to-start grows although
 * workers have free slots. The configured limit comes from the run's own environment.
 */
export const taskQueueRateLimit: Rule = {
  id: 'task-queue-rate-limit',
  symptom: 'workflows started faster than the task queue activity rate limit, with activity completions flat at the limit',
  evaluate(input) {
    const limit = input.result.environment.workerTuning?.taskQueueActivitiesPerSecond;
    if (!limit) return null;
    const s = input.result.summary;
    // Completions during the steady window (by the second they finished in, not the second they were
    // meant to start in): the throughput the queue really drained at.
    const steady = input.result.timeline.filter((r) => r.phase === 'steady');
    const steadyS = steady.reduce((n, r) => n + r.durationS, 0);
    // At or above the limit: the queue can only drain at the limit, so completions plateau there.
    if (!(s.achievedRate >= limit * 0.98) || steadyS <= 0) return null;
    const completedRate = steady.reduce((n, r) => n + (r.finished ?? r.completed), 0) / steadyS;
    if (completedRate > limit * 1.1 || completedRate >= s.achievedRate * 0.99) return null;
    const slow = slowScheduleToStart(input);
    const rec = recommend({
      rule: this.id,
      title: 'Activity dispatch is capped by the task-queue rate limit',
      knob: 'worker option maxTaskQueueActivitiesPerSecond (per task queue, enforced by matching)',
      action: `Raise or remove maxTaskQueueActivitiesPerSecond (now ${limit}/s) on the workers of this task queue, or split the work over more task queues.`,
      confidence: 'high',
      evidence: [
        ...slow,
        { metric: 'workflow completions vs maxTaskQueueActivitiesPerSecond', observed: Math.round(completedRate * 10) / 10, limit, unit: '/s', stat: 'steady-window mean' },
        { metric: 'workflow starts', observed: s.achievedRate, limit, unit: '/s', stat: 'steady-window mean' },
      ],
    });
    return configuredLimitHit(rec);
  },
};

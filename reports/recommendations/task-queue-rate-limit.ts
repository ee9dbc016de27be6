import { recommend } from './evidence';
import { slowScheduleToStart } from './schedule-to-start';
import type { Rule } from './types';

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
    const steadyS = s.steadyDurationS ?? 0;
    if (!(s.achievedRate > limit * 1.02) || steadyS <= 0) return null;
    const completedRate = s.completed / steadyS;
    if (completedRate > limit * 1.1) return null;
    const slow = slowScheduleToStart(input);
    return recommend({
      rule: this.id,
      title: 'Activity dispatch is capped by the task-queue rate limit',
      knob: 'worker option maxTaskQueueActivitiesPerSecond (per task queue, enforced by matching)',
      action: `Raise or remove maxTaskQueueActivitiesPerSecond (now ${limit}/s) on the workers of this task queue, or split the work over more task queues.`,
      confidence: slow.length > 0 ? 'high' : 'medium',
      evidence: [
        ...slow,
        { metric: 'workflow completions vs maxTaskQueueActivitiesPerSecond', observed: Math.round(completedRate * 10) / 10, limit, unit: '/s', stat: 'steady-window mean' },
        { metric: 'workflow starts', observed: s.achievedRate, limit, unit: '/s', stat: 'steady-window mean' },
      ],
    });
  },
};

import { evidence, recommend } from './evidence.js';
import { slotsAvailable, slowScheduleToStart } from './schedule-to-start.js';
import type { Rule } from './types.js';

/** Tasks wait and workers have no free slots: the workers are the bottleneck. */
export const workerSlots: Rule = {
  id: 'worker-slots',
  symptom: 'schedule-to-start p99 above 200 ms while worker_task_slots_available reaches 0',
  evaluate(input) {
    const slow = slowScheduleToStart(input);
    const exhausted = slotsAvailable(input).filter((h) => h.value <= 0);
    if (slow.length === 0 || exhausted.length === 0) return null;
    return recommend({
      rule: this.id,
      title: 'Workers ran out of task slots',
      knob: 'worker maxConcurrentWorkflowTaskExecutions / maxConcurrentActivityTaskExecutions, worker replicas',
      action: 'Add worker replicas or raise the slot counts (if worker CPU has headroom) for the exhausted worker type.',
      confidence: 'high',
      evidence: [...slow, ...exhausted.map((h) => evidence('temporal_worker_task_slots_available', h, 'min', 0, 'slots'))],
    });
  },
};

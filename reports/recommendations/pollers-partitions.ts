import { evidence, recommend } from './evidence.js';
import { slotsAvailable, slowScheduleToStart } from './schedule-to-start.js';
import type { Rule } from './types.js';

/** Tasks wait although workers have free slots: not enough pollers, or too few partitions. */
export const pollersPartitions: Rule = {
  id: 'pollers-partitions',
  symptom: 'schedule-to-start p99 above 200 ms while workers keep free slots (or slot metrics are missing)',
  evaluate(input) {
    const slow = slowScheduleToStart(input);
    if (slow.length === 0) return null;
    const slots = slotsAvailable(input);
    if (slots.some((h) => h.value <= 0)) return null; // the worker-slots rule owns that case
    return recommend({
      rule: this.id,
      title: 'Tasks wait for pollers',
      knob: 'worker maxConcurrentWorkflowTaskPolls / maxConcurrentActivityTaskPolls; matching.numTaskqueueReadPartitions / numTaskqueueWritePartitions (4)',
      action: 'Raise poller counts on the workers; if pollers are plentiful, raise the task-queue partitions (read and write together, write last when lowering).',
      // Without slot metrics we cannot rule out exhausted slots.
      confidence: slots.length > 0 ? 'medium' : 'low',
      evidence: [...slow, ...slots.slice(0, 2).map((h) => evidence('temporal_worker_task_slots_available', h, 'min', 0, 'slots'))],
    });
  },
};

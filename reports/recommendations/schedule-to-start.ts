import { evidence, found, rank, type SeriesValue } from './evidence.js';
import type { Evidence, RuleInput } from './types.js';

/** Temporal's alert level for p99 schedule-to-start. */
export const scheduleToStartLimitMs = 200;

/**
 * Schedule-to-start above the alert level, from the server (matching) or the SDK: the shared
 * symptom of the worker-slots and pollers/partitions rules, which differ in whether slots ran out.
 */
export function slowScheduleToStart(input: RuleInput): Evidence[] {
  const sources: [string, string][] = [
    ['task_schedule_to_start_p99', 'task_schedule_to_start_latency p99'],
    ['worker_wft_schedule_to_start_p99', 'temporal_workflow_task_schedule_to_start_latency p99'],
    ['worker_activity_schedule_to_start_p99', 'temporal_activity_schedule_to_start_latency p99'],
  ];
  return sources.flatMap(([id, metric]) =>
    rank(found(input, id), 'sustained')
      .filter((h) => h.value > scheduleToStartLimitMs)
      .slice(0, 2)
      .map((h) => evidence(metric, h, 'sustained', scheduleToStartLimitMs, 'ms')),
  );
}

/** Slots-available series by worker type, lowest first. */
export function slotsAvailable(input: RuleInput): SeriesValue[] {
  return rank(found(input, 'worker_slots_available'), 'min');
}

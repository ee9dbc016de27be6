import { configuredLimitHit, evidence, recommend } from './evidence.js';
import { slotsAvailable, slowScheduleToStart } from './schedule-to-start.js';
import type { Evidence, Rule } from './types.js';

/**
 * The run's own workers ran with a slot count the user set (--activity-slots) and the load used all
 * of it: a configured limit, so it outranks the symptoms (slow schedule-to-start, completions behind)
 * and the resources that were not the limit. Evidence: the workers' SDK gauge at 0, or, without SDK
 * metrics, activity tasks waiting while completions fell behind starts.
 */
export const configuredWorkerSlots: Rule = {
  id: 'configured-worker-slots',
  symptom: 'the run set activity slots per worker process and the slots ran out (SDK slots available 0, or activity schedule-to-start above 200 ms with completions behind starts)',
  evaluate(input) {
    const { result } = input;
    const slots = result.environment.workerTuning?.activitySlots;
    const processes = result.environment.workerProcesses ?? 1;
    if (!slots || processes < 1) return null;
    const exhausted = slotsAvailable(input).filter((h) => /activity/i.test(h.labels.worker_type ?? h.where) && h.value <= 0);
    const slow = slowScheduleToStart(input).filter((e) => /activity/i.test(e.metric) || /task_type=Activity/i.test(e.where ?? ''));
    const steady = result.timeline.filter((r) => r.phase === 'steady');
    const steadyS = steady.reduce((n, r) => n + r.durationS, 0);
    const finished = steadyS > 0 ? steady.reduce((n, r) => n + (r.finished ?? r.completed), 0) / steadyS : 0;
    const started = result.summary.achievedRate;
    const behind = started > 0 && finished < 0.95 * started;
    if (!exhausted.length && !(slow.length && behind)) return null;
    const ev: Evidence[] = [
      ...exhausted.slice(0, 2).map((h) => evidence('temporal_worker_task_slots_available', h, 'min', 0, 'slots')),
      ...slow,
      { metric: 'workflow completions vs starts', observed: Math.round(finished * 10) / 10, limit: Math.round(started * 10) / 10, unit: '/s', stat: 'steady-window mean' },
      { metric: 'configured activity slots (maxConcurrentActivityTaskExecutions × worker processes)', observed: slots * processes, limit: slots * processes, unit: 'slots', stat: `${slots} × ${processes}` },
    ];
    return configuredLimitHit(
      recommend({
        rule: this.id,
        title: `Workers ran out of their ${slots * processes} configured activity slots`,
        knob: `activity slots per worker process (--activity-slots, now ${slots}; maxConcurrentActivityTaskExecutions) and worker processes (--workers, now ${processes})`,
        action: `Raise --activity-slots (if worker CPU has headroom) or add worker processes: at most ${slots * processes} ${slots * processes === 1 ? 'activity runs' : 'activities run'} at once, so throughput is capped at slots ÷ activity time.`,
        confidence: exhausted.length ? 'high' : 'medium',
        evidence: ev,
      }),
    );
  },
};

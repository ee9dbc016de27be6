import { describe, expect, it } from 'vitest';
import { limitingFactor } from '../../reports/recommendations';
import { taskQueueRateLimit } from '../../reports/recommendations/task-queue-rate-limit';
import type { ResultFile } from '../../runner/result-schema';
import { fixtureResult, fixtureServer, series } from '../helpers/report-fixtures';

/** A steady window of 20 s at `startRate`/s with `completedRate`/s finishing, workers capped at `limit`. */
function run(startRate: number, completedRate: number, limit?: number): ResultFile {
  const r = fixtureResult({ rate: startRate });
  r.summary = { ...r.summary, achievedRate: startRate, completed: completedRate * 20, steadyDurationS: 20 };
  r.environment = { ...r.environment, workerTuning: limit ? { taskQueueActivitiesPerSecond: limit } : undefined };
  return r;
}

const slowActivities = fixtureServer({ worker_activity_schedule_to_start_p99: [series({ namespace: 'bench' }, 1500)] });

describe('task-queue-rate-limit rule', () => {
  it('fires when starts outrun a configured limit and completions sit at it, and leads the ranking', () => {
    const rec = taskQueueRateLimit.evaluate({ result: run(52, 40, 40), server: slowActivities });
    expect(rec?.confidence).toBe('high');
    expect(rec?.evidence.map((e) => e.metric)).toEqual(['temporal_activity_schedule_to_start_latency p99', 'workflow completions vs maxTaskQueueActivitiesPerSecond', 'workflow starts']);
    expect(limitingFactor({ result: run(52, 40, 40), server: slowActivities })?.rule).toBe('task-queue-rate-limit');
  });

  it('stays silent without a limit, below the limit, or when completions keep up', () => {
    expect(taskQueueRateLimit.evaluate({ result: run(52, 40), server: slowActivities })).toBeNull();
    expect(taskQueueRateLimit.evaluate({ result: run(30, 30, 40), server: slowActivities })).toBeNull();
    expect(taskQueueRateLimit.evaluate({ result: run(52, 52, 40), server: slowActivities })).toBeNull();
  });
});

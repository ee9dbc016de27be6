import { describe, expect, it } from 'vitest';
import { evaluateRules, limitingFactor } from '../../reports/recommendations/index.js';
import { taskQueueRateLimit } from '../../reports/recommendations/task-queue-rate-limit.js';
import { cappedResult, fixtureServer, series } from '../helpers/report-fixtures.js';

const run = cappedResult;

const slowActivities = fixtureServer({ worker_activity_schedule_to_start_p99: [series({ namespace: 'bench' }, 1500)] });

describe('task-queue-rate-limit rule', () => {
  it('fires when starts outrun a configured limit and completions sit at it, and leads the ranking', () => {
    const rec = taskQueueRateLimit.evaluate({ result: run(52, 40, 40), server: slowActivities });
    expect(rec?.confidence).toBe('high');
    expect(rec?.evidence.map((e) => e.metric)).toEqual(['temporal_activity_schedule_to_start_latency p99', 'workflow completions vs maxTaskQueueActivitiesPerSecond', 'workflow starts']);
    expect(limitingFactor({ result: run(52, 40, 40), server: slowActivities })?.rule).toBe('task-queue-rate-limit');
  });

  it('fires at the limit when completions fall behind, and outranks the sync-match symptom it causes', () => {
    const lowSync = fixtureServer({ sync_match_ratio: [series({ task_type: 'Activity' }, 0.49)] });
    expect(evaluateRules({ result: run(10, 9.3, 10), server: lowSync }).map((r) => r.rule)).toContain('sync-match');
    expect(limitingFactor({ result: run(10, 9.3, 10), server: lowSync })?.rule).toBe('task-queue-rate-limit');
  });

  it('stays silent without a limit, below the limit, or when completions keep up', () => {
    expect(taskQueueRateLimit.evaluate({ result: run(52, 40, undefined), server: slowActivities })).toBeNull();
    expect(taskQueueRateLimit.evaluate({ result: run(30, 30, 40), server: slowActivities })).toBeNull();
    expect(taskQueueRateLimit.evaluate({ result: run(52, 52, 40), server: slowActivities })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../metrics/prometheus-snapshot.js';
import { evaluateRules, limitingFactor, rules, type Rule, type RuleInput } from '../../reports/recommendations/index.js';
import { withFaults } from '../helpers/fault-fixtures.js';
import { cappedResult, fixtureResult, fixtureServer, series } from '../helpers/report-fixtures.js';
import { resourceRuleCases } from '../helpers/resource-fixtures.js';

/**
 * One block per rule: synthetic metrics that carry the rule's symptom make it fire with evidence;
 * healthy metrics (and no metrics at all) keep it silent.
 */
const healthyResult = fixtureResult();
const input = (data: Record<string, MetricSeries[]>, result = healthyResult): RuleInput => ({ result, server: fixtureServer(data) });
const rule = (id: string): Rule => rules.find((r) => r.id === id)!;

interface Case {
  id: string;
  fires: RuleInput;
  silent: RuleInput[];
  evidenceMetric: RegExp;
}

const fe = { service_name: 'frontend' };

/** Starts at 50/s for 60 s steady, completions at `completedPerS`, workers capped at `limit` activities/s. */
const cases: Case[] = [
  {
    id: 'frontend-rps-limit',
    fires: input({ resource_exhausted: [series({ ...fe, resource_exhausted_cause: 'RpsLimit' }, (i) => (i > 5 ? 12 : 0))] }),
    silent: [input({ resource_exhausted: [series({ ...fe, resource_exhausted_cause: 'RpsLimit' }, 0)] }), input({ resource_exhausted: [series({ service_name: 'history', resource_exhausted_cause: 'BusyWorkflow' }, 4)] })],
    evidenceMetric: /service_errors_resource_exhausted/,
  },
  {
    id: 'poll-concurrency-limit',
    fires: input({ resource_exhausted: [series({ ...fe, resource_exhausted_cause: 'ConcurrentLimit' }, 2)] }),
    silent: [input({ resource_exhausted: [series({ ...fe, resource_exhausted_cause: 'RpsLimit' }, 2)] })],
    evidenceMetric: /service_errors_resource_exhausted/,
  },
  {
    id: 'persistence-qps-limit',
    fires: input({ persistence_resource_exhausted: [series({ service_name: 'history', operation: 'UpdateWorkflowExecution' }, 5)] }),
    silent: [input({ persistence_resource_exhausted: [series({ service_name: 'history', operation: 'UpdateWorkflowExecution' }, 0)] })],
    evidenceMetric: /persistence_errors_resource_exhausted/,
  },
  {
    id: 'persistence-latency',
    fires: input({ persistence_p99: [series({ operation: 'UpdateWorkflowExecution' }, 120)] }),
    // One spike is not sustained.
    silent: [input({ persistence_p99: [series({ operation: 'UpdateWorkflowExecution' }, (i) => (i === 3 ? 500 : 8))] })],
    evidenceMetric: /persistence_latency/,
  },
  {
    id: 'shard-contention',
    fires: input({ shard_semaphore_p99: [series({}, 40)], rpc_p99: [series({ service_name: 'history', operation: 'RecordActivityTaskStarted' }, 250)] }),
    silent: [input({ shard_semaphore_p99: [series({}, 2)], shard_lock_p99: [series({}, 1)], rpc_p99: [series({ service_name: 'history', operation: 'X' }, 250)] })],
    evidenceMetric: /semaphore_latency/,
  },
  {
    id: 'worker-slots',
    fires: input({ task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 900)], worker_slots_available: [series({ worker_type: 'ActivityWorker' }, (i) => (i > 3 ? 0 : 10))] }),
    silent: [
      input({ task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 900)], worker_slots_available: [series({ worker_type: 'ActivityWorker' }, 40)] }),
      input({ task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 20)], worker_slots_available: [series({ worker_type: 'ActivityWorker' }, 0)] }),
    ],
    evidenceMetric: /schedule_to_start/,
  },
  {
    id: 'pollers-partitions',
    fires: input({ task_schedule_to_start_p99: [series({ task_type: 'Workflow' }, 700)], worker_slots_available: [series({ worker_type: 'WorkflowWorker' }, 80)] }),
    silent: [
      input({ task_schedule_to_start_p99: [series({ task_type: 'Workflow' }, 700)], worker_slots_available: [series({ worker_type: 'WorkflowWorker' }, 0)] }),
      input({ task_schedule_to_start_p99: [series({ task_type: 'Workflow' }, 30)] }),
    ],
    evidenceMetric: /schedule_to_start/,
  },
  {
    id: 'sync-match',
    fires: input({ sync_match_ratio: [series({ task_type: 'Activity' }, 0.6)] }),
    silent: [input({ sync_match_ratio: [series({ task_type: 'Activity' }, 0.99)] })],
    evidenceMetric: /poll_success_sync/,
  },
  {
    id: 'mutable-state-cache',
    fires: input({ mutable_state_cache_miss_ratio: [series({}, 0.7)] }),
    silent: [input({ mutable_state_cache_miss_ratio: [series({}, 0.05)] })],
    evidenceMetric: /cache_miss/,
  },
  {
    id: 'cpu-limit',
    fires: input({ pod_cpu: [series({ pod: 'temporal-history-0' }, 1.95)], pod_cpu_limit: [series({ pod: 'temporal-history-0' }, 2)], pod_cpu_throttled_ratio: [series({ pod: 'temporal-history-0' }, 0.3)] }),
    silent: [input({ pod_cpu: [series({ pod: 'temporal-history-0' }, 0.5)], pod_cpu_limit: [series({ pod: 'temporal-history-0' }, 2)], pod_cpu_throttled_ratio: [series({ pod: 'temporal-history-0' }, 0.01)] })],
    evidenceMetric: /container_cpu/,
  },
  {
    id: 'memory-limit',
    fires: input({ pod_memory: [series({ pod: 'temporal-history-1' }, 1.95e9)], pod_memory_limit: [series({ pod: 'temporal-history-1' }, 2e9)] }),
    // Usage without a known limit is not evidence.
    silent: [input({ pod_memory: [series({ pod: 'temporal-history-1' }, 1.95e9)] }), input({ pod_memory: [series({ pod: 'temporal-history-1' }, 1e9)], pod_memory_limit: [series({ pod: 'temporal-history-1' }, 2e9)] })],
    evidenceMetric: /container_memory_working_set_bytes/,
  },
  {
    id: 'task-queue-rate-limit',
    fires: { result: cappedResult(50, 20, 20) },
    // Completions keep up with starts, or the run set no task-queue limit.
    silent: [{ result: cappedResult(50, 50, 20) }, { result: cappedResult(50, 20, undefined) }],
    evidenceMetric: /completions vs maxTaskQueueActivitiesPerSecond/,
  },
  {
    id: 'invalid-run',
    fires: { result: fixtureResult({ valid: false, invalidReasons: ['event-loop delay p99 180 ms'] }) },
    silent: [{ result: healthyResult }],
    evidenceMetric: /achieved vs target/,
  },
  {
    id: 'outage',
    fires: { result: withFaults(fixtureResult()) },
    silent: [{ result: healthyResult }, { result: { ...withFaults(fixtureResult()), availability: { ...withFaults(fixtureResult()).availability!, windows: [] } } }],
    evidenceMetric: /unavailable seconds/,
  },
  // Resource rules (host, worker, service, PostgreSQL CPU; Kubernetes limits by service; configured slots).
  ...resourceRuleCases,
];

describe('recommendation rules', () => {
  it('has a test case for every registered rule', () => {
    expect(cases.map((c) => c.id).sort()).toEqual(rules.map((r) => r.id).sort());
  });

  describe.each(cases)('$id', ({ id, fires, silent, evidenceMetric }) => {
    it('fires on its evidence, with metric, observed value, limit and confidence', () => {
      const rec = rule(id).evaluate(fires);
      expect(rec).not.toBeNull();
      expect(rec!.rule).toBe(id);
      expect(rec!.evidence.length).toBeGreaterThan(0);
      expect(rec!.evidence[0]!.metric).toMatch(evidenceMetric);
      for (const e of rec!.evidence) expect(Number.isFinite(e.observed)).toBe(true);
      expect(['high', 'medium', 'low']).toContain(rec!.confidence);
      expect(rec!.knob.length).toBeGreaterThan(0);
    });

    it('stays silent without the evidence (and with no server metrics at all)', () => {
      for (const s of silent) expect(rule(id).evaluate(s)).toBeNull();
      if (id !== 'invalid-run') expect(rule(id).evaluate({ result: healthyResult })).toBeNull();
    });
  });

  it('treats missing metrics as no evidence, not as zero', () => {
    // worker_slots_available missing must not read as "0 slots available".
    const rec = rule('worker-slots').evaluate(input({ task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 900)] }));
    expect(rec).toBeNull();
    expect(rule('pollers-partitions').evaluate(input({ task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 900)] }))!.confidence).toBe('low');
  });

  it('falls back to client-side RESOURCE_EXHAUSTED only when the server causes are unknown', () => {
    const result = fixtureResult({ errors: { RESOURCE_EXHAUSTED: 3 } });
    expect(rule('frontend-rps-limit').evaluate({ result })!.confidence).toBe('medium');
    const known = input({ resource_exhausted: [series({ service_name: 'history', resource_exhausted_cause: 'BusyWorkflow' }, 3)] }, result);
    expect(rule('frontend-rps-limit').evaluate(known)).toBeNull();
  });

  it('names a frontend RPS limit the server reports ahead of the slot exhaustion it causes in the workers', () => {
    // Throttled worker calls hold their slots: schedule-to-start of seconds and no free slots follow.
    const server = input({
      resource_exhausted: [series({ ...fe, resource_exhausted_cause: 'RpsLimit' }, (i) => (i > 5 ? 3 : 0))],
      task_schedule_to_start_p99: [series({ task_type: 'Workflow' }, 5000)],
      worker_slots_available: [series({ worker_type: 'WorkflowWorker' }, 0)],
    });
    expect(
      evaluateRules(server)
        .map((r) => r.rule)
        .slice(0, 2),
    ).toEqual(['frontend-rps-limit', 'worker-slots']);
  });

  it('names the frontend RPS limit, not an outage, when throttled workers stall completions with no fault and no outage code', () => {
    // Throttled worker calls can leave seconds with nothing finished: stall windows the throttling explains.
    const av = withFaults(fixtureResult()).availability!;
    const stalled = { ...fixtureResult(), availability: { ...av, windows: [{ ...av.windows[0]!, signals: ['stall' as const], fault: null, errorsByCode: {} }], faults: [] } };
    const throttled = input({ resource_exhausted: [series({ ...fe, resource_exhausted_cause: 'RpsLimit' }, (i) => (i > 5 ? 3 : 0))] }, stalled);
    expect(rule('outage').evaluate(throttled)).toBeNull();
    expect(limitingFactor(throttled)?.rule).toBe('frontend-rps-limit');
    // Without throttling the same stall is an outage; with an outage code it is one even while throttled.
    expect(rule('outage').evaluate({ result: stalled })?.rule).toBe('outage');
    const failing = { ...stalled, availability: { ...stalled.availability, windows: [{ ...stalled.availability.windows[0]!, signals: ['errors' as const, 'stall' as const] }] } };
    expect(limitingFactor({ ...throttled, result: failing })?.rule).toBe('outage');
  });
  it('ranks an invalid run first and names the strongest server evidence as the limiting factor', () => {
    const server = input({ persistence_p99: [series({ operation: 'X' }, 60)], resource_exhausted: [series({ ...fe, resource_exhausted_cause: 'RpsLimit' }, 9)] });
    expect(limitingFactor(server)!.rule).toBe('frontend-rps-limit');
    expect(evaluateRules(server).map((r) => r.rule)).toEqual(['frontend-rps-limit', 'persistence-latency']);
    const invalid = { ...server, result: fixtureResult({ valid: false, invalidReasons: ['dropped starts'] }) };
    expect(limitingFactor(invalid)!.rule).toBe('invalid-run');
    expect(limitingFactor({ result: healthyResult })).toBeUndefined();
  });
});

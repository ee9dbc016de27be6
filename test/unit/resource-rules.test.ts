import { describe, expect, it } from 'vitest';
import { evaluateRules, limitingFactor, rules } from '../../reports/recommendations/index.js';
import { podService } from '../../reports/recommendations/k8s-services.js';
import { cappedResult, fixtureResult, fixtureServer, series } from '../helpers/report-fixtures.js';
import { resourceRuleCases, saturatedBy, slotLimitedResult, withResources, type ComponentFixture } from '../helpers/resource-fixtures.js';

const rule = (id: string) => rules.find((r) => r.id === id)!;
const history = (cores: number): ComponentFixture => ({ id: 'history-0', kind: 'temporal', services: ['history'], cores });
const pg = (cores: number): ComponentFixture => ({ id: 'postgres', kind: 'postgres', cores });
const worker = (cores: number): ComponentFixture => ({ id: 'bench-worker-0', kind: 'worker', cores });
const generator = (cores: number): ComponentFixture => ({ id: 'generator-0', kind: 'generator', cores });

describe('host CPU saturated', () => {
  it('names the top consumers with their cores and says whether the harness is among them', () => {
    const rec = rule('host-cpu-saturated').evaluate({ result: saturatedBy([history(0.7), worker(0.5), generator(0.3), pg(0.3)]) })!;
    expect(rec.title).toBe('Host CPU saturated: 1.95 of 2 cores busy');
    expect(rec.evidence[0]).toMatchObject({ metric: 'host CPU busy (/proc/stat)', observed: 1.95, limit: 1.8, unit: 'cores' });
    expect(rec.evidence.map((e) => e.where)).toEqual(expect.arrayContaining(['history-0 (history)', 'bench-worker-0 (load harness)', 'generator-0 (load harness)']));
    expect(rec.action).toMatch(/Top consumers \(mean cores\): history-0 0\.70, bench-worker-0 0\.50/);
    expect(rec.action).toMatch(/load harness is among the top consumers \(bench-worker-0, generator-0\)/);
    // Harness at 0.85 of 1.95 cores (44%): move it.
    expect(rec.knob).toMatch(/other hosts/);
    expect(rec.score).toBeGreaterThan(40);
    expect(rec.score).toBeLessThan(45);
  });

  it('says so when the harness is not among the top consumers, and points at other processes when they take the host', () => {
    const rec = rule('host-cpu-saturated').evaluate({ result: saturatedBy([history(0.5), pg(0.3), worker(0.1)]) })!;
    expect(rec.action).toMatch(/load harness is not among the top consumers/);
    // 1.95 − 0.9 named = 1.05 cores nobody in the run used.
    expect(rec.knob).toMatch(/quiet host/);
    expect(rec.evidence.find((e) => e.where?.startsWith('other processes'))!.observed).toBeCloseTo(1.05, 2);
  });

  it('outranks invalid-run when the generator ran late on a saturated host (the cause before its symptom)', () => {
    const invalid = saturatedBy([history(0.9), worker(0.5), generator(0.4)], 1.95, fixtureResult({ valid: false, invalidReasons: ['scheduling-lag p99 80 ms > 25 ms'] }));
    expect(
      evaluateRules({ result: invalid })
        .map((r) => r.rule)
        .slice(0, 2),
    ).toEqual(['host-cpu-saturated', 'invalid-run']);
  });
});

describe('ranking against the other rules', () => {
  it('a saturated resource outranks the latency symptoms it causes', () => {
    const result = saturatedBy([history(1.0), pg(0.4), worker(0.3)]);
    const server = fixtureServer({ persistence_p99: [series({ operation: 'UpdateWorkflowExecution' }, 120)], task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 900)] });
    const order = evaluateRules({ result, server }).map((r) => r.rule);
    expect(order[0]).toBe('temporal-service-cpu');
    expect(order.indexOf('host-cpu-saturated')).toBeLessThan(order.indexOf('persistence-latency'));
    expect(order.indexOf('host-cpu-saturated')).toBeLessThan(order.indexOf('pollers-partitions'));
  });

  it('a configured limit the server reports (frontend RPS) still outranks a saturated host', () => {
    const result = saturatedBy([history(1.0), worker(0.5)]);
    const server = fixtureServer({ resource_exhausted: [series({ service_name: 'frontend', resource_exhausted_cause: 'RpsLimit' }, 5)] });
    expect(limitingFactor({ result, server })!.rule).toBe('frontend-rps-limit');
  });

  it('configured worker slots outrank a host made busy by other processes', () => {
    const result = withResources(slotLimitedResult(1), { cores: 2, busy: 1.95 }, [worker(0.1), history(0.2)]);
    const server = fixtureServer({ worker_slots_available: [series({ worker_type: 'ActivityWorker' }, 0)] });
    expect(limitingFactor({ result, server })!.rule).toBe('configured-worker-slots');
  });

  it('every resource rule has its fire/silent case in report-recommendations.test.ts', () => {
    const ids = resourceRuleCases.map((c) => c.id);
    for (const id of ['host-cpu-saturated', 'worker-cpu-bound', 'temporal-service-cpu', 'postgres-cpu', 'service-cpu-throttled', 'service-memory-limit', 'configured-worker-slots']) expect(ids).toContain(id);
  });
});

describe('component rules', () => {
  it('a worker process at a full core: more processes, not more slots', () => {
    const rec = rule('worker-cpu-bound').evaluate({ result: withResources(fixtureResult(), { cores: 4, busy: 1.3 }, [worker(0.98), generator(0.1)]) })!;
    expect(rec.evidence[0]).toMatchObject({ where: 'bench-worker-0 (load harness)', observed: 0.98, limit: 0.9 });
    expect(rec.knob).toMatch(/--workers \(now 1\)/);
    expect(rec.action).toMatch(/more slots per process do not help/);
  });

  it('the history process taking most of a saturated host: history replicas, with the cluster values', () => {
    const rec = rule('temporal-service-cpu').evaluate({ result: saturatedBy([history(1.1), pg(0.3), worker(0.3)]) })!;
    expect(rec.title).toMatch(/^Temporal history is CPU-bound: 1\.10 cores, 56% of the busy CPU/);
    expect(rec.knob).toMatch(/history replicas .*temporal-history: 3 replicas, CPU 500m–2 cores/);
  });

  it('a single-process server says which services it hosts', () => {
    const server: ComponentFixture = { id: 'server', kind: 'temporal', services: ['frontend', 'history', 'matching', 'worker'], cores: 1.2 };
    expect(rule('temporal-service-cpu').evaluate({ result: saturatedBy([server, worker(0.3)]) })!.knob).toMatch(/--topology split/);
  });

  it('PostgreSQL backends and background together', () => {
    const rec = rule('postgres-cpu').evaluate({ result: saturatedBy([pg(0.7), { id: 'postgres-background', kind: 'postgres', cores: 0.1 }, history(0.4)]) })!;
    expect(rec.evidence.map((e) => e.where)).toEqual(['postgres', 'postgres-background', '2 cores']);
  });
});

describe('Kubernetes limits by service', () => {
  it('maps pods to services the way the ops page names them', () => {
    expect(podService('temporal-history-7d9f8c6b5-x2kqp')).toBe('history');
    expect(podService('temporal-frontend-5c8d7f9b4-qq2ws')).toBe('frontend');
    expect(podService('temporal-worker-6b7c8d9f5-abcde')).toBe('worker');
    expect(podService('temporal-db-1')).toBe('postgres');
    expect(podService('bench-worker-7f9c5d6b8-zz9kq')).toBe('bench-worker');
  });

  it('throttled history pods: replicas or the CPU limit, with the values now, ranked as a configured limit', () => {
    const rec = resourceRuleCases.find((c) => c.id === 'service-cpu-throttled')!;
    const out = rule('service-cpu-throttled').evaluate(rec.fires)!;
    expect(out.title).toBe('temporal-history throttled at its CPU limit');
    expect(out.knob).toBe('temporal-history: replicas (2 pods seen, ops page 3) or CPU limit (now 2 cores, request 500m (ops page))');
    expect(out.evidence[0]).toMatchObject({ where: 'service=history, pod=temporal-history-7d9f8c6b5-x2kqp', observed: 0.35, limit: 0.1 });
    expect(out.confidence).toBe('high');
    expect(out.score).toBeGreaterThanOrEqual(45);
  });

  it('without kube-state-metrics limits it quotes the ops page', () => {
    const out = rule('service-cpu-throttled').evaluate({ result: fixtureResult(), server: fixtureServer({ pod_cpu_throttled_ratio: [series({ pod: 'temporal-matching-5c8d7f9b4-qq2ws' }, 0.4)] }) })!;
    expect(out.knob).toBe('temporal-matching: replicas (1 pods seen, ops page 3) or CPU limit (now 1 core (ops page), request 200m (ops page))');
  });
});

describe('configured worker slots', () => {
  it('fires without SDK metrics when activity tasks wait and completions fall behind', () => {
    const server = fixtureServer({ task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 900)] });
    const rec = rule('configured-worker-slots').evaluate({ result: slotLimitedResult(1), server })!;
    expect(rec.knob).toMatch(/--activity-slots, now 1/);
    expect(rec.evidence.map((e) => e.metric)).toContain('workflow completions vs starts');
    // Completions keep up: not the limit.
    expect(rule('configured-worker-slots').evaluate({ result: { ...cappedResult(30, 30, undefined), environment: slotLimitedResult(1).environment }, server })).toBeNull();
  });
});

describe("worker processes CPU-bound on a remote cluster (no /proc: the workers' own metrics)", () => {
  it('fires on a worker pod at a core from bench_worker_process_cpu_seconds_total, and not below it', () => {
    const pod = (instance: string, cores: number) => series({ instance, worker_process: '0', task_queue_name: 'bench-x' }, cores);
    const hot = rule('worker-cpu-bound').evaluate({ result: fixtureResult(), server: fixtureServer({ worker_process_cpu: [pod('10.0.0.7:9400', 0.97), pod('10.0.0.8:9400', 0.4)] }) })!;
    expect(hot.title).toBe('Worker processes CPU-bound: 1 of 2 at 0.97 cores or more');
    expect(hot.evidence).toEqual([expect.objectContaining({ metric: 'bench_worker_process_cpu_seconds_total rate', observed: 0.97, unit: 'cores', where: expect.stringContaining('10.0.0.7:9400') })]);
    expect(hot.evidence[0]!.stat).toMatch(/^p75 over steady/);
    expect(hot.knob).toMatch(/now 2 processes seen/);
    expect(rule('worker-cpu-bound').evaluate({ result: fixtureResult(), server: fixtureServer({ worker_process_cpu: [pod('10.0.0.7:9400', 0.5)] }) })).toBeNull();
  });
});

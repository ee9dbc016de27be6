import type { MetricSeries } from '../../metrics/prometheus-snapshot.js';
import type { RuleInput } from '../../reports/recommendations/index.js';
import type { ResourceKind, ResultFile } from '../../recorder/result-schema.js';
import { cappedResult, fixtureResult, fixtureServer, series } from './report-fixtures.js';

/** Synthetic `resources` for rule, chart and capacity tests: constant per-second values over the run. */

export interface ComponentFixture {
  id: string;
  kind: ResourceKind;
  services?: string[];
  cores: number;
  rssMb?: number;
}

/** `result` with one sample per timeline second: the host `busy` of `cores`, and each component's cores. */
export function withResources(result: ResultFile, host: { cores: number; busy: number }, components: ComponentFixture[], missing: string[] = []): ResultFile {
  const t = result.timeline.map((r) => r.t + r.durationS);
  const fill = (v: number) => t.map(() => v);
  return {
    ...result,
    resources: {
      source: 'proc',
      t,
      host: { hostname: 'test-host', cores: host.cores, busyCores: fill(host.busy), load1: fill(host.busy * 1.5), memTotalMb: 8000, memAvailableMb: fill(4000) },
      components: components.map((c, i) => ({ id: c.id, kind: c.kind, services: c.services, pids: [1000 + i], cpuCores: fill(c.cores), rssMb: fill(c.rssMb ?? 100) })),
      missing,
    },
  };
}

const history = (cores: number): ComponentFixture => ({ id: 'history-0', kind: 'temporal', services: ['history'], cores });
const harness = (worker: number, generator: number): ComponentFixture[] => [
  { id: 'bench-worker-0', kind: 'worker', cores: worker },
  { id: 'generator-0', kind: 'generator', cores: generator },
  { id: 'coordinator', kind: 'coordinator', cores: 0.05 },
];

/** A two-core host where the named consumers use `cores` each. */
export const saturatedBy = (components: ComponentFixture[], busy = 1.95, result = fixtureResult()) => withResources(result, { cores: 2, busy }, components);

const pod = (name: string) => ({ pod: name });
const k8s = (data: Record<string, MetricSeries[]>): RuleInput => ({ result: fixtureResult(), server: fixtureServer(data) });

/** A run that set 1 activity slot per worker process and whose 30/s starts finished at 5/s. */
export function slotLimitedResult(slots: number | undefined): ResultFile {
  const r = cappedResult(30, 5, undefined);
  r.environment = { ...r.environment, workerTuning: { activitySlots: slots }, workerProcesses: 1 };
  return r;
}

/** Cases in the shape of report-recommendations.test.ts: each resource rule fires on its evidence and stays silent without it. */
export const resourceRuleCases = [
  {
    id: 'host-cpu-saturated',
    fires: { result: saturatedBy([history(0.6), { id: 'postgres', kind: 'postgres', cores: 0.4 }, ...harness(0.5, 0.3)]) },
    silent: [{ result: withResources(fixtureResult(), { cores: 2, busy: 1.2 }, [history(0.6)]) }],
    evidenceMetric: /host CPU busy/,
  },
  {
    id: 'worker-cpu-bound',
    fires: { result: withResources(fixtureResult(), { cores: 4, busy: 1.5 }, harness(0.97, 0.2)) },
    silent: [{ result: withResources(fixtureResult(), { cores: 4, busy: 1.5 }, harness(0.5, 0.2)) }],
    evidenceMetric: /process CPU/,
  },
  {
    id: 'temporal-service-cpu',
    fires: { result: saturatedBy([history(1.0), { id: 'postgres', kind: 'postgres', cores: 0.3 }, ...harness(0.3, 0.2)]) },
    // History busy, but the host has spare cores: not the limit.
    silent: [{ result: withResources(fixtureResult(), { cores: 4, busy: 1.6 }, [history(1.0)]) }],
    evidenceMetric: /process CPU/,
  },
  {
    id: 'postgres-cpu',
    fires: { result: saturatedBy([history(0.4), { id: 'postgres', kind: 'postgres', cores: 0.8 }, { id: 'postgres-background', kind: 'postgres', cores: 0.1 }, ...harness(0.3, 0.2)]) },
    silent: [{ result: saturatedBy([history(1.0), { id: 'postgres', kind: 'postgres', cores: 0.2 }, ...harness(0.4, 0.2)]) }],
    evidenceMetric: /process CPU/,
  },
  {
    id: 'service-cpu-throttled',
    fires: k8s({
      pod_cpu: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 1.95), series(pod('temporal-history-7d9f8c6b5-b7m4d'), 1.9), series(pod('temporal-frontend-5c8d7f9b4-qq2ws'), 0.2)],
      pod_cpu_limit: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 2), series(pod('temporal-history-7d9f8c6b5-b7m4d'), 2), series(pod('temporal-frontend-5c8d7f9b4-qq2ws'), 1)],
      pod_cpu_throttled_ratio: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 0.35), series(pod('temporal-frontend-5c8d7f9b4-qq2ws'), 0)],
    }),
    silent: [k8s({ pod_cpu: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 0.5)], pod_cpu_limit: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 2)], pod_cpu_throttled_ratio: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 0.01)] })],
    evidenceMetric: /throttled/,
  },
  {
    id: 'service-memory-limit',
    fires: k8s({ pod_memory: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 3.9 * 2 ** 30)], pod_memory_limit: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 4 * 2 ** 30)] }),
    silent: [k8s({ pod_memory: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 2 * 2 ** 30)], pod_memory_limit: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 4 * 2 ** 30)] })],
    evidenceMetric: /container_memory_working_set_bytes/,
  },
  {
    id: 'configured-worker-slots',
    fires: { result: slotLimitedResult(1), server: fixtureServer({ worker_slots_available: [series({ worker_type: 'ActivityWorker' }, (i) => (i % 2 ? 0 : 1))] }) },
    silent: [
      { result: slotLimitedResult(undefined), server: fixtureServer({ worker_slots_available: [series({ worker_type: 'ActivityWorker' }, 0)] }) },
      { result: slotLimitedResult(1), server: fixtureServer({ worker_slots_available: [series({ worker_type: 'ActivityWorker' }, 3)] }) },
    ],
    evidenceMetric: /temporal_worker_task_slots_available/,
  },
];

import { describe, expect, it } from 'vitest';
import { bucketQuantile, indexSamples, parseExposition, ScrapeEvaluator } from '../../metrics/scrape.js';
import { defaultQueryConfig, mergeQueryConfig, queryPromQL, type QueryConfig } from '../../metrics/server-queries.js';

const exposition = (requests: number, buckets: [string, number][], extra = '') => `# HELP service_requests requests
# TYPE service_requests counter
service_requests{operation="StartWorkflowExecution",service_name="frontend"} ${requests}
service_requests{operation="PollWorkflowTaskQueue",service_name="frontend"} 5
${buckets.map(([le, c]) => `persistence_latency_bucket{operation="CreateWorkflowExecution",service_name="history",le="${le}"} ${c}`).join('\n')}
persistence_latency_count{operation="CreateWorkflowExecution",service_name="history"} ${buckets.at(-1)![1]}
temporal_worker_task_slots_available{namespace="bench",worker_type="WorkflowWorker",task_queue="q\\"x"} 7
${extra}`;

const only = (config: QueryConfig, ...ids: string[]): QueryConfig => ({ ...config, queries: config.queries.filter((q) => ids.includes(q.id)) });

describe('Prometheus exposition parsing', () => {
  it('reads names, escaped label values, special floats and skips comments', () => {
    const samples = parseExposition(`# comment\nm{a="x\\"y",b="1\\\\2"} +Inf\nn 3 1712345678000\no NaN\n`);
    expect(samples).toEqual([
      { name: 'm', labels: { a: 'x"y', b: '1\\2' }, value: Infinity },
      { name: 'n', labels: {}, value: 3 },
      { name: 'o', labels: {}, value: NaN },
    ]);
  });
});

describe('histogram_quantile from buckets', () => {
  it('interpolates linearly inside the bucket holding the rank, like Prometheus', () => {
    const buckets = [
      { le: 0.01, count: 50 },
      { le: 0.1, count: 90 },
      { le: 1, count: 100 },
      { le: Infinity, count: 100 },
    ];
    expect(bucketQuantile(0.5, buckets)).toBeCloseTo(0.01);
    expect(bucketQuantile(0.7, buckets)).toBeCloseTo(0.01 + (0.09 * 20) / 40);
    expect(bucketQuantile(0.99, buckets)).toBeCloseTo(0.1 + (0.9 * 9) / 10);
    expect(
      bucketQuantile(0.99, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNaN();
  });
});

describe('direct-scrape evaluation from deltas', () => {
  const config = only(defaultQueryConfig(), 'rpc_rate', 'persistence_p99', 'worker_slots_available', 'state_transitions', 'sync_match_ratio');

  it('computes rates and quantiles from consecutive scrapes, handles counter resets, and leaves absent metrics missing', () => {
    const ev = new ScrapeEvaluator(config);
    ev.add(
      100,
      indexSamples(
        parseExposition(
          exposition(1000, [
            ['0.01', 10],
            ['0.1', 20],
            ['+Inf', 20],
          ]),
        ),
      ),
    );
    ev.add(
      110,
      indexSamples(
        parseExposition(
          exposition(1500, [
            ['0.01', 60],
            ['0.1', 120],
            ['+Inf', 120],
          ]),
        ),
      ),
    );
    ev.add(
      120,
      indexSamples(
        parseExposition(
          exposition(200, [
            ['0.01', 60],
            ['0.1', 120],
            ['+Inf', 120],
          ]),
        ),
      ),
    ); // restart: counter reset
    const byId = Object.fromEntries(ev.results().map((r) => [r.id, r]));

    const start = byId.rpc_rate!.series.find((s) => s.labels.operation === 'StartWorkflowExecution')!;
    expect(start.labels).toEqual({ service_name: 'frontend', operation: 'StartWorkflowExecution' });
    expect(start.points).toEqual([
      [110, 50],
      [120, 20],
    ]);
    const poll = byId.rpc_rate!.series.find((s) => s.labels.operation === 'PollWorkflowTaskQueue')!;
    expect(poll.points).toEqual([
      [110, 0],
      [120, 0],
    ]);

    // 100 new observations: 50 ≤ 10 ms, 50 in (10, 100] ms → p99 = 10 + 90 * 49/50 ms.
    const p99 = byId.persistence_p99!.series[0]!;
    expect(p99.labels).toEqual({ operation: 'CreateWorkflowExecution' });
    expect(p99.points[0]![1]).toBeCloseTo(10 + (90 * 49) / 50);
    // No new observations: the quantile is unknown (null), not zero.
    expect(p99.points[1]).toEqual([120, null]);

    expect(byId.worker_slots_available!.series).toEqual([
      {
        labels: { worker_type: 'WorkflowWorker' },
        points: [
          [110, 7],
          [120, 7],
        ],
      },
    ]);
    expect(byId.state_transitions!.status).toBe('missing');
    expect(byId.state_transitions!.series).toEqual([]);
    expect(byId.sync_match_ratio!.status).toBe('missing');
  });

  it("sums per-instance counters only after taking each instance's own delta", () => {
    const ev = new ScrapeEvaluator(only(defaultQueryConfig(), 'rpc_rate'));
    const scrape = (a: number, b: number) =>
      indexSamples([
        { name: 'service_requests', labels: { service_name: 'history', operation: 'X', instance: 'a' }, value: a },
        { name: 'service_requests', labels: { service_name: 'history', operation: 'X', instance: 'b' }, value: b },
      ]);
    ev.add(0, scrape(100, 5000));
    ev.add(5, scrape(150, 5100));
    expect(ev.results()[0]!.series[0]!.points).toEqual([[5, 30]]);
  });

  it('reports raw-PromQL overrides as not evaluable rather than empty', () => {
    const cfg = mergeQueryConfig(only(defaultQueryConfig(), 'rpc_rate'), { queries: { rpc_rate: { promql: 'sum(rate(x[1m]))' } } });
    const ev = new ScrapeEvaluator(cfg);
    expect(ev.results()[0]).toMatchObject({ status: 'error', error: expect.stringContaining('direct scrapes') });
  });
});

describe('queries are data', () => {
  it("generates the official dashboards' PromQL", () => {
    const config = defaultQueryConfig();
    const promql = (id: string) => queryPromQL(config.queries.find((q) => q.id === id)!, config, '1m');
    expect(promql('rpc_rate')).toBe('sum by (service_name, operation) (rate(service_requests{}[1m]))');
    expect(promql('persistence_p99')).toBe('histogram_quantile(0.99, sum by (le, operation) (rate(persistence_latency_bucket{}[1m]))) * 1000');
    expect(promql('sync_match_ratio')).toBe('(sum by (task_type) (rate(poll_success_sync{}[1m]))) / (sum by (task_type) (rate(poll_success{}[1m])))');
    expect(promql('pod_cpu')).toBe('sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="temporal",container!~"|POD"}[1m]))');
    expect(promql('sticky_cache_miss_ratio')).toContain('{__name__=~"(temporal_sticky_cache_miss(_total)?)"}');
  });

  it('lets a config file rename labels, add matchers, replace, add and disable queries', () => {
    const config = mergeQueryConfig(defaultQueryConfig(), {
      rateWindow: '2m',
      labels: { service_name: 'temporal_service' },
      matchers: { server: { job: 'temporal' } },
      queries: {
        persistence_rate: { promql: 'sum(rate(my_persistence_total[5m]))' },
        extra: { group: 'rpc', title: 'Extra', unit: 'ops/s', promql: 'vector(1)' },
        no_poller_tasks: null,
      },
    });
    const get = (id: string) => config.queries.find((q) => q.id === id);
    expect(queryPromQL(get('rpc_rate')!, config, config.rateWindow!)).toBe('sum by (temporal_service, operation) (rate(service_requests{job="temporal"}[2m]))');
    expect(queryPromQL(get('persistence_rate')!, config, config.rateWindow!)).toBe('sum(rate(my_persistence_total[5m]))');
    expect(get('extra')).toMatchObject({ scope: 'server', promql: 'vector(1)' });
    expect(get('no_poller_tasks')).toBeUndefined();
    expect(() => mergeQueryConfig(defaultQueryConfig(), { queries: { x: { title: 'x' } } })).toThrow(/needs "expr" or "promql"/);
    expect(() => mergeQueryConfig(defaultQueryConfig(), { rateWindow: 'soon' })).toThrow(/rateWindow/);
  });
});

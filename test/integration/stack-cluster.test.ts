import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedNamespaces } from '../../stack/options.js';
import { queryPrometheus, waitForPrometheus } from '../helpers/prometheus.js';

const stack = inject('stack');

describe('local stack (PostgreSQL, 512 shards)', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address: stack.frontendAddress });
  });
  afterAll(async () => connection?.close());

  it('reports 512 history shards and server version 1.24.2 through GetClusterInfo', async () => {
    const info = await connection.workflowService.getClusterInfo({});
    expect(info.historyShardCount).toBe(512);
    expect(info.serverVersion).toBe('1.24.2');
    expect(stack.persistence).toBe('postgres');
  });

  it.each(seedNamespaces)('namespace $name exists with $retentionHours h retention', async ({ name, retentionHours }) => {
    const ns = await connection.workflowService.describeNamespace({ namespace: name });
    expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(retentionHours * 3600);
  });

  it('Prometheus scrapes the server: target up and service_requests has samples', async () => {
    const url = stack.prometheusUrl!;
    const target = await waitForPrometheus(`server target up in ${url}`, async () => {
      const res = await fetch(`${url}/api/v1/targets`);
      const body = (await res.json()) as { data: { activeTargets: { labels: { job: string }; health: string; scrapeUrl: string }[] } };
      return body.data.activeTargets.find((t) => t.labels.job === 'temporal' && t.health === 'up');
    });
    expect(target.scrapeUrl).toBe(stack.metricsUrls[0]);
    const samples = await waitForPrometheus('service_requests samples', async () => {
      const result = await queryPrometheus(url, 'sum by (service_name) (service_requests)');
      return result.length > 0 ? result : undefined;
    });
    expect(samples.map((s) => s.metric.service_name)).toContain('frontend');
    expect(Number(samples[0]!.value[1])).toBeGreaterThan(0);
  });
});

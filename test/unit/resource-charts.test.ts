import { describe, expect, it } from 'vitest';
import { buildModel } from '../../reports/model.js';
import { resourceSections } from '../../reports/resource-charts.js';
import { fixtureResult, fixtureServer, series } from '../helpers/report-fixtures.js';
import { withResources } from '../helpers/resource-fixtures.js';

describe('resource charts', () => {
  const result = withResources(fixtureResult(), { cores: 2, busy: 1.9 }, [
    { id: 'bench-worker-0', kind: 'worker', cores: 0.3, rssMb: 400 },
    { id: 'history-0', kind: 'temporal', services: ['history'], cores: 0.8, rssMb: 300 },
    { id: 'postgres', kind: 'postgres', cores: 0.5, rssMb: 200 },
  ]);

  it('stacks CPU by component, largest first, with what no component explains on top, against the host cores', () => {
    const [section] = resourceSections(result);
    expect(section!.id).toBe('host-resources');
    const cpu = section!.charts.find((c) => c.id === 'resources-cpu')!;
    expect(cpu.stacked).toBe(true);
    expect(cpu.title).toBe('CPU by component, stacked (host: 2 cores)');
    expect(cpu.series.map((s) => s.name)).toEqual(['history-0', 'postgres', 'bench-worker-0', 'other processes (not this run)']);
    expect(cpu.series.map((s) => s.y[10])).toEqual([0.8, 0.5, 0.3, 0.3]);
    expect(cpu.refLines).toEqual([{ y: 2, label: '2 cores' }]);
    expect(cpu.x).toHaveLength(result.timeline.length);
    const rss = section!.charts.find((c) => c.id === 'resources-rss')!;
    expect(rss.series.map((s) => s.y[0])).toEqual([300, 200, 400]);
  });

  it('is in the report model, and says why when a result has no samples', () => {
    expect(buildModel(result).sections.map((s) => s.id)).toContain('host-resources');
    const [section] = resourceSections(fixtureResult());
    expect(section!.charts[0]).toMatchObject({ status: 'missing', message: expect.stringMatching(/no resource samples/) });
  });

  it("for a cluster, stacks pod CPU by service (ops-page names) against the sum of the pods' CPU limits", () => {
    const t0 = new Date(result.startedAt).getTime() / 1000;
    const pod = (name: string) => ({ pod: name });
    const server = fixtureServer({
      pod_cpu: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 1.5, 10, t0), series(pod('temporal-history-7d9f8c6b5-b7m4d'), 1.0, 10, t0), series(pod('temporal-frontend-5c8d7f9b4-qq2ws'), 0.3, 10, t0)],
      pod_cpu_limit: [series(pod('temporal-history-7d9f8c6b5-x2kqp'), 2, 10, t0), series(pod('temporal-history-7d9f8c6b5-b7m4d'), 2, 10, t0), series(pod('temporal-frontend-5c8d7f9b4-qq2ws'), 1, 10, t0)],
    });
    const chart = resourceSections(result, server)[0]!.charts.find((c) => c.id === 'resources-k8s-cpu')!;
    expect(chart.stacked).toBe(true);
    expect(chart.series.map((s) => [s.name, s.y[0]])).toEqual([
      ['temporal-history', 2.5],
      ['temporal-frontend', 0.3],
    ]);
    expect(chart.x!.slice(0, 2)).toEqual([0, 3]);
    expect(chart.refLines).toEqual([{ y: 5, label: 'pod CPU limits 5 cores' }]);
    expect(resourceSections(result, fixtureServer({}))[0]!.charts.map((c) => c.id)).not.toContain('resources-k8s-cpu');
  });
});

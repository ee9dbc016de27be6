import type { ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import { round, type ChartSpec } from './chart-spec.js';
import { podService, workloadName } from './recommendations/k8s-services.js';

/**
 * A cluster's CPU by Temporal service (cAdvisor `pod_cpu`, pods grouped as the ops page names them),
 * stacked, against the sum of the pods' CPU limits (kube-state-metrics): the Kubernetes counterpart of
 * the local CPU-by-component chart. Undefined when the snapshot has no pod CPU.
 */
export function k8sCpuByServiceChart(server: ServerMetricsSnapshot | undefined, startedAt: string): ChartSpec | undefined {
  const cpu = server?.results.find((r) => r.id === 'pod_cpu' && r.status === 'ok');
  if (!cpu) return undefined;
  const t0 = new Date(startedAt).getTime() / 1000;
  const times = [...new Set(cpu.series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const byService = new Map<string, number[]>();
  for (const s of cpu.series) {
    const service = workloadName(podService(s.labels.pod ?? ''));
    const sums = byService.get(service) ?? times.map(() => 0);
    for (const [t, v] of s.points) if (v !== null) sums[index.get(t)!]! += v;
    byService.set(service, sums);
  }
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const series = [...byService].sort((a, b) => total(b[1]) - total(a[1])).map(([name, ys]) => ({ name, y: ys.map((v) => round(v)) }));
  const limits = server!.results.find((r) => r.id === 'pod_cpu_limit' && r.status === 'ok');
  const limitSum = limits ? limits.series.reduce((a, s) => a + Math.max(0, ...s.points.map(([, v]) => v ?? 0)), 0) : 0;
  return {
    id: 'resources-k8s-cpu',
    title: 'CPU by service, stacked (Kubernetes pods)',
    unit: 'cores',
    xKind: 'time',
    x: times.map((t) => round(t - t0)!),
    series,
    stacked: true,
    refLines: limitSum > 0 ? [{ y: round(limitSum)!, label: `pod CPU limits ${round(limitSum)} cores` }] : undefined,
    note: cpu.query,
  };
}

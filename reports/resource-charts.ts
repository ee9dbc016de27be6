import type { ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import type { ResourceUsage, ResultFile } from '../recorder/result-schema.js';
import { round, type ChartSection, type ChartSeries, type ChartSpec } from './chart-spec.js';
import { chartOverlay } from './faults.js';
import { k8sCpuByServiceChart } from './k8s-resource-chart.js';
import { maxPoints } from './timeline-charts.js';

/** Charts of result.resources: CPU of every component stacked against the host's cores, RSS, load. */

/** Components drawn one by one in the stacked chart; the rest are summed into "other named". */
export const maxStacked = 9;

function bucketMeans(xs: (number | null)[], per: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < xs.length; i += per) {
    const vs = xs.slice(i, i + per).filter((v): v is number => v !== null);
    out.push(vs.length ? round(vs.reduce((a, b) => a + b, 0) / vs.length) : null);
  }
  return out;
}

const total = (xs: (number | null)[]) => xs.reduce<number>((a, v) => a + (v ?? 0), 0);

/** Per component label: `history-0`, `server (frontend, history, ...)` is too long for a legend. */
const name = (c: ResourceUsage['components'][number]) => (c.kind === 'temporal' && c.services?.length === 1 && !c.id.startsWith(c.services[0]!) ? `${c.id} (${c.services[0]})` : c.id);

function missing(id: string, title: string, unit: string, message: string): ChartSpec {
  return { id, title, unit, xKind: 'time', series: [], status: 'missing', message };
}

export function resourceSections(result: ResultFile, server?: ServerMetricsSnapshot): ChartSection[] {
  const res = result.resources;
  const k8s = k8sCpuByServiceChart(server, result.startedAt);
  const section = (charts: ChartSpec[]): ChartSection[] => [{ id: 'host-resources', title: 'Resources: CPU and memory by component', charts: k8s ? [...charts, { ...k8s, ...chartOverlay(result) }] : charts }];
  const overlay = chartOverlay(result);
  if (!res || res.t.length === 0) {
    const why = res?.missing[0] ?? 'no resource samples in this result (a run before resource sampling, or not on Linux)';
    return section([{ ...missing('resources-cpu', 'CPU by component', 'cores', why), ...overlay }]);
  }
  const per = Math.max(1, Math.ceil(res.t.length / maxPoints));
  const x = res.t.filter((_, i) => i % per === 0);
  const note = [per > 1 ? `each point is the mean of ${per} samples` : '', ...res.missing].filter(Boolean).join(' · ') || undefined;
  const chart = (id: string, title: string, unit: string, series: ChartSeries[], extra: Partial<ChartSpec> = {}): ChartSpec => ({ id, title, unit, xKind: 'time', x, series, note, ...overlay, ...extra });

  // Largest consumers first (bottom of the stack), the rest summed, then what no component explains.
  const ranked = [...res.components].sort((a, b) => total(b.cpuCores) - total(a.cpuCores));
  const shown = ranked.slice(0, maxStacked);
  const rest = ranked.slice(maxStacked);
  const named = res.t.map((_, i) => res.components.reduce((a, c) => a + (c.cpuCores[i] ?? 0), 0));
  const other = res.host.busyCores.map((b, i) => (b === null ? null : Math.max(0, b - named[i]!)));
  const stacked: ChartSeries[] = [
    ...shown.map((c) => ({ name: name(c), y: bucketMeans(c.cpuCores, per) })),
    ...(rest.length
      ? [
          {
            name: `${rest.length} more components`,
            y: bucketMeans(
              res.t.map((_, i) => rest.reduce((a, c) => a + (c.cpuCores[i] ?? 0), 0)),
              per,
            ),
          },
        ]
      : []),
    { name: 'other processes (not this run)', y: bucketMeans(other, per) },
  ];
  const cpu = chart('resources-cpu', `CPU by component, stacked (host: ${res.host.cores} cores)`, 'cores', stacked, {
    stacked: true,
    refLines: [{ y: res.host.cores, label: `${res.host.cores} cores` }],
  });
  const rss = chart(
    'resources-rss',
    'Memory (RSS) by component',
    'MB',
    shown.map((c) => ({ name: name(c), y: bucketMeans(c.rssMb, per) })),
  );
  const host = chart(
    'resources-host',
    'Host CPU busy and load average',
    'cores / tasks',
    [
      { name: 'busy cores', y: bucketMeans(res.host.busyCores, per) },
      { name: 'load average (1 min)', y: bucketMeans(res.host.load1, per), dashed: true },
    ],
    { refLines: [{ y: res.host.cores, label: `${res.host.cores} cores` }] },
  );
  return section([cpu, rss, host]);
}

/**
 * The Grafana dashboard for load tests (deploy/grafana/temporal-bench.json, `bench dashboard`): the
 * harness's own metrics (runner /metrics, bench workers, SDK e2e) above the server panels the report
 * uses, built from the same query definitions (metrics/server-queries.ts), so the two never disagree.
 */
import { defaultQueries, defaultQueryConfig, resolveExpr, toPromQL, type Expr, type Group, type Scope, type Unit } from '../metrics/server-queries.js';

export interface PanelTarget {
  expr: string;
  legend: string;
}

export interface PanelSpec {
  title: string;
  unit: Unit;
  /** `k8s`: needs cAdvisor/kube-state-metrics (empty on a local stack); `runner`: the harness's own endpoint. */
  scope: Scope | 'runner';
  targets: PanelTarget[];
}

const rate = '$__rate_interval';

/** The harness's own panels: what `bench run` and `bench worker` export while they run. */
const harnessPanels: PanelSpec[] = [
  {
    title: 'Start rate: intended, sent, acknowledged (per run)',
    unit: 'ops/s',
    scope: 'runner',
    targets: [
      { expr: 'sum by (run_id) (bench_runner_target_rate)', legend: 'intended {{run_id}}' },
      { expr: 'sum by (run_id) (bench_runner_sent_rate)', legend: 'sent {{run_id}}' },
      { expr: `sum by (run_id) (rate(bench_runner_starts_ok_total[${rate}]))`, legend: 'acknowledged {{run_id}}' },
    ],
  },
  // No samples until a call fails: "or vector(0)" draws the zero line a clean run has.
  { title: 'Failed calls by gRPC code', unit: 'ops/s', scope: 'runner', targets: [{ expr: `sum by (code) (rate(bench_runner_errors_total[${rate}])) or vector(0)`, legend: '{{code}}' }] },
  { title: 'Latency p99 by operation (runner, last interval)', unit: 'ms', scope: 'runner', targets: [{ expr: 'max by (op) (bench_runner_latency_ms{quantile="p99"})', legend: '{{op}}' }] },
  { title: 'Starts in flight or queued', unit: 'count', scope: 'runner', targets: [{ expr: 'sum by (run_id) (bench_runner_in_flight)', legend: '{{run_id}}' }] },
  { title: 'Generator event-loop delay p99', unit: 'ms', scope: 'runner', targets: [{ expr: 'max by (run_id) (bench_runner_event_loop_delay_p99_ms)', legend: '{{run_id}}' }] },
  { title: 'Workflows completed (runner view)', unit: 'ops/s', scope: 'runner', targets: [{ expr: `sum by (run_id) (rate(bench_runner_workflows_completed_total[${rate}]))`, legend: '{{run_id}}' }] },
  {
    title: 'Workflow end-to-end p50/p99 (SDK, workers)',
    unit: 'ms',
    scope: 'sdk',
    targets: [0.5, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(temporal_workflow_endtoend_latency_bucket[${rate}])))`, legend: `p${q * 100}` })),
  },
  { title: 'Workflows finished by bench workers', unit: 'ops/s', scope: 'bench', targets: [{ expr: `sum by (instance) (rate(bench_worker_workflows_finished_total[${rate}]))`, legend: '{{instance}}' }] },
  { title: 'Bench worker memory (RSS)', unit: 'bytes', scope: 'bench', targets: [{ expr: 'sum by (instance) (bench_worker_process_resident_memory_bytes)', legend: '{{instance}}' }] },
];

const groupTitles: Record<Group, string> = {
  rpc: 'Server: RPC',
  persistence: 'Server: persistence',
  history: 'Server: history',
  matching: 'Server: matching',
  resources: 'Kubernetes: pods',
  worker: 'Workers (SDK and bench worker)',
};

/**
 * Counters of bad events exist only once one happened: on a dashboard their absence is a zero line,
 * not "No data" (which reads as a broken scrape). Ratios of them get the zero in the numerator.
 */
const zeroWhenAbsent = new Set(['rpc_errors', 'resource_exhausted', 'persistence_errors', 'persistence_resource_exhausted', 'no_poller_tasks', 'sticky_cache_miss_ratio', 'mutable_state_cache_miss_ratio']);

function panelPromQL(expr: Expr, id: string): string {
  if (!zeroWhenAbsent.has(id)) return toPromQL(expr, rate);
  if (expr.kind === 'ratio') return `(${toPromQL(expr.num, rate)} or vector(0)) / (${toPromQL(expr.den, rate)})`;
  return `${toPromQL(expr, rate)} or vector(0)`;
}

/** The report's queries as panels, with Grafana's rate interval in every range. */
function queryPanels(): Map<Group, PanelSpec[]> {
  const config = defaultQueryConfig();
  const byGroup = new Map<Group, PanelSpec[]>();
  for (const q of defaultQueries) {
    const expr = q.promql ?? panelPromQL(resolveExpr(q.expr!, q.scope, config), q.id);
    const by = q.expr && 'by' in q.expr ? (q.expr.by ?? []) : [];
    byGroup.set(q.group, [...(byGroup.get(q.group) ?? []), { title: q.title, unit: q.unit, scope: q.scope, targets: [{ expr, legend: by.map((l) => `{{${l}}}`).join(' ') || q.title }] }]);
  }
  return byGroup;
}

/** Every panel in dashboard order, under its row title. */
export function dashboardPanels(): { row: string; panels: PanelSpec[] }[] {
  const byGroup = queryPanels();
  const harnessWorkers = harnessPanels.filter((p) => p.scope !== 'runner');
  return [
    { row: 'Load generator (bench run)', panels: harnessPanels.filter((p) => p.scope === 'runner') },
    { row: groupTitles.worker, panels: [...harnessWorkers, ...(byGroup.get('worker') ?? [])] },
    ...(['rpc', 'persistence', 'history', 'matching', 'resources'] as const).map((g) => ({ row: groupTitles[g], panels: byGroup.get(g) ?? [] })),
  ];
}

const grafanaUnit: Record<Unit, string> = { 'ops/s': 'ops', ms: 'ms', ratio: 'percentunit', bytes: 'bytes', cores: 'none', count: 'none' };

/** The dashboard JSON (Grafana 10+ model); the datasource is a variable, annotations tagged temporal-bench show. */
export function grafanaDashboard(): Record<string, unknown> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a template placeholder
  const ds = { type: 'prometheus', uid: '${datasource}' };
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const { row, panels: specs } of dashboardPanels()) {
    panels.push({ id: id++, type: 'row', title: row, collapsed: false, gridPos: { x: 0, y: y++, w: 24, h: 1 }, panels: [] });
    specs.forEach((p, i) => {
      panels.push({
        id: id++,
        type: 'timeseries',
        title: p.title,
        datasource: ds,
        gridPos: { x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8, w: 12, h: 8 },
        fieldConfig: { defaults: { unit: grafanaUnit[p.unit] }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
        targets: p.targets.map((t, j) => ({ datasource: ds, expr: t.expr, legendFormat: t.legend, refId: String.fromCharCode(65 + j) })),
      });
    });
    y += Math.ceil(specs.length / 2) * 8;
  }
  return {
    uid: 'temporal-bench',
    title: 'Temporal load tests (temporal-bench)',
    tags: ['temporal', 'temporal-bench'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-1h', to: 'now' },
    refresh: '10s',
    templating: { list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }] },
    annotations: {
      list: [
        { builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' },
        // What `bench run --grafana-url` posts: the run's window and each injected fault.
        { datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, iconColor: 'orange', name: 'temporal-bench runs and faults', target: { type: 'tags', tags: ['temporal-bench'], matchAny: true, limit: 100 } },
      ],
    },
    panels,
  };
}

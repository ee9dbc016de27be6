import fs from 'node:fs';
import { UsageError } from '../core/errors.js';
import { parseDurationSeconds } from './rate-window.js';

/**
 * The server and worker metrics the report shows, as DATA: each query is a small structured
 * expression that becomes PromQL for a Prometheus server and is evaluated directly for raw scrapes.
 * Clusters differ in label names and selectors, so a JSON config file can rename labels, add
 * matchers per scope, replace a query's expression or raw PromQL, add queries or disable them.
 */

export type Unit = 'ops/s' | 'ms' | 'ratio' | 'bytes' | 'cores' | 'count';
export type Group = 'rpc' | 'persistence' | 'history' | 'matching' | 'resources' | 'worker';
/**
 * Which default matchers apply: the Temporal server, Kubernetes (cAdvisor/kube-state-metrics), SDK
 * workers, and bench worker processes' own metrics (labelled by task queue, wherever their pods run).
 */
export type Scope = 'server' | 'k8s' | 'sdk' | 'bench';

/** Label matchers: "v" equals, "~re" regex, "!v" not equal, "!~re" regex not matching. */
export type Matchers = Record<string, string>;

/** `metric` may start with "~" to match metric names by regex (e.g. optional `_total` suffixes). */
export type Expr =
  | { kind: 'rate'; metric: string; match?: Matchers; by?: string[] }
  | { kind: 'quantile'; q: number; metric: string; match?: Matchers; by?: string[]; toMs?: number }
  | { kind: 'gauge'; metric: string; match?: Matchers; by?: string[]; agg?: 'sum' | 'max' | 'avg' }
  | { kind: 'ratio'; num: Expr; den: Expr };

export interface QuerySpec {
  id: string;
  group: Group;
  scope: Scope;
  title: string;
  unit: Unit;
  expr?: Expr;
  /** Raw PromQL replacing the generated one (cannot be evaluated from direct scrapes). */
  promql?: string;
}

export interface QueryConfig {
  /** Fixed range-vector window (e.g. "2m"); default: from the scrape interval (metrics/rate-window.ts). */
  rateWindow?: string;
  /** Range-query resolution; default chosen from the window length and the scrape interval. */
  stepSeconds?: number;
  labels: Record<string, string>;
  matchers: Partial<Record<Scope, Matchers>>;
  queries: QuerySpec[];
}

const server = 'server' as const;
const op = ['service_name', 'operation'];
const seconds = 1000; // server timers are seconds; the report shows milliseconds
const q = (id: string, group: Group, scope: Scope, title: string, unit: Unit, expr: Expr): QuerySpec => ({ id, group, scope, title, unit, expr });
const podRes = (metric: string, resource: string): Expr => ({ kind: 'gauge', metric, match: { resource }, by: ['pod'], agg: 'sum' });

export const defaultQueries: QuerySpec[] = [
  q('rpc_rate', 'rpc', server, 'RPC rate by service and operation', 'ops/s', { kind: 'rate', metric: 'service_requests', by: op }),
  q('rpc_p99', 'rpc', server, 'RPC p99 by service and operation', 'ms', { kind: 'quantile', q: 0.99, metric: 'service_latency', by: op, toMs: seconds }),
  q('rpc_errors', 'rpc', server, 'RPC errors by type', 'ops/s', { kind: 'rate', metric: 'service_error_with_type', by: ['service_name', 'error_type'] }),
  q('resource_exhausted', 'rpc', server, 'Resource exhausted by cause', 'ops/s', {
    kind: 'rate',
    metric: 'service_errors_resource_exhausted',
    by: ['service_name', 'resource_exhausted_cause'],
  }),
  q('persistence_rate', 'persistence', server, 'Persistence requests by operation', 'ops/s', { kind: 'rate', metric: 'persistence_requests', by: ['operation'] }),
  q('persistence_p99', 'persistence', server, 'Persistence p99 by operation', 'ms', { kind: 'quantile', q: 0.99, metric: 'persistence_latency', by: ['operation'], toMs: seconds }),
  q('persistence_errors', 'persistence', server, 'Persistence errors by operation', 'ops/s', { kind: 'rate', metric: 'persistence_errors', by: ['operation'] }),
  q('persistence_resource_exhausted', 'persistence', server, 'Persistence resource exhausted', 'ops/s', {
    kind: 'rate',
    metric: 'persistence_errors_resource_exhausted',
    by: op,
  }),
  q('state_transitions', 'history', server, 'State transitions/s', 'ops/s', { kind: 'rate', metric: 'state_transition_count_count' }),
  q('workflow_completions', 'history', server, 'Workflow completions/s', 'ops/s', { kind: 'rate', metric: 'workflow_success', match: { operation: 'CompletionStats' } }),
  q('shard_lock_p99', 'history', server, 'Shard lock p99', 'ms', { kind: 'quantile', q: 0.99, metric: 'lock_latency', match: { operation: 'ShardInfo' }, toMs: seconds }),
  q('shard_semaphore_p99', 'history', server, 'Shard semaphore p99', 'ms', {
    kind: 'quantile',
    q: 0.99,
    metric: 'semaphore_latency',
    match: { operation: 'ShardInfo' },
    toMs: seconds,
  }),
  q('mutable_state_cache_miss_ratio', 'history', server, 'Mutable-state cache miss ratio', 'ratio', {
    kind: 'ratio',
    num: { kind: 'rate', metric: 'cache_miss', match: { cache_type: 'mutablestate' } },
    den: { kind: 'rate', metric: 'cache_requests', match: { cache_type: 'mutablestate' } },
  }),
  q('task_schedule_to_start_p99', 'matching', server, 'Task schedule-to-start p99', 'ms', {
    kind: 'quantile',
    q: 0.99,
    metric: 'task_schedule_to_start_latency',
    by: ['task_type'],
    toMs: seconds,
  }),
  q('sync_match_ratio', 'matching', server, 'Sync-match rate', 'ratio', {
    kind: 'ratio',
    num: { kind: 'rate', metric: 'poll_success_sync', by: ['task_type'] },
    den: { kind: 'rate', metric: 'poll_success', by: ['task_type'] },
  }),
  q('no_poller_tasks', 'matching', server, 'Tasks with no poller', 'ops/s', { kind: 'rate', metric: 'no_poller_tasks', by: ['task_type'] }),
  q('pod_cpu', 'resources', 'k8s', 'Pod CPU (cores)', 'cores', {
    kind: 'rate',
    metric: 'container_cpu_usage_seconds_total',
    match: { container: '!~|POD' },
    by: ['pod'],
  }),
  q('pod_cpu_request', 'resources', 'k8s', 'Pod CPU request', 'cores', podRes('kube_pod_container_resource_requests', 'cpu')),
  q('pod_cpu_limit', 'resources', 'k8s', 'Pod CPU limit', 'cores', podRes('kube_pod_container_resource_limits', 'cpu')),
  q('pod_cpu_throttled_ratio', 'resources', 'k8s', 'Pod CPU throttled periods', 'ratio', {
    kind: 'ratio',
    num: { kind: 'rate', metric: 'container_cpu_cfs_throttled_periods_total', match: { container: '!~|POD' }, by: ['pod'] },
    den: { kind: 'rate', metric: 'container_cpu_cfs_periods_total', match: { container: '!~|POD' }, by: ['pod'] },
  }),
  q('pod_memory', 'resources', 'k8s', 'Pod memory working set', 'bytes', {
    kind: 'gauge',
    metric: 'container_memory_working_set_bytes',
    match: { container: '!~|POD' },
    by: ['pod'],
    agg: 'sum',
  }),
  q('pod_memory_request', 'resources', 'k8s', 'Pod memory request', 'bytes', podRes('kube_pod_container_resource_requests', 'memory')),
  q('pod_memory_limit', 'resources', 'k8s', 'Pod memory limit', 'bytes', podRes('kube_pod_container_resource_limits', 'memory')),
  q('worker_slots_available', 'worker', 'sdk', 'Worker slots available', 'count', { kind: 'gauge', metric: 'temporal_worker_task_slots_available', by: ['worker_type'] }),
  q('worker_slots_used', 'worker', 'sdk', 'Worker slots used', 'count', { kind: 'gauge', metric: 'temporal_worker_task_slots_used', by: ['worker_type'] }),
  q('worker_process_cpu', 'worker', 'bench', 'Worker process CPU (cores)', 'cores', {
    kind: 'rate',
    metric: 'bench_worker_process_cpu_seconds_total',
    by: ['instance', 'worker_process'],
  }),
  q('worker_pollers', 'worker', 'sdk', 'Worker pollers', 'count', { kind: 'gauge', metric: 'temporal_num_pollers', by: ['poller_type'] }),
  q('sticky_cache_size', 'worker', 'sdk', 'Sticky cache size', 'count', { kind: 'gauge', metric: 'temporal_sticky_cache_size' }),
  q('sticky_cache_miss_ratio', 'worker', 'sdk', 'Sticky cache miss ratio', 'ratio', {
    kind: 'ratio',
    num: { kind: 'rate', metric: '~temporal_sticky_cache_miss(_total)?' },
    den: { kind: 'rate', metric: '~temporal_sticky_cache_(hit|miss)(_total)?' },
  }),
  q('worker_wft_schedule_to_start_p99', 'worker', 'sdk', 'Workflow task schedule-to-start p99 (SDK)', 'ms', {
    kind: 'quantile',
    q: 0.99,
    metric: 'temporal_workflow_task_schedule_to_start_latency',
    toMs: 1,
  }),
  q('worker_activity_schedule_to_start_p99', 'worker', 'sdk', 'Activity schedule-to-start p99 (SDK)', 'ms', {
    kind: 'quantile',
    q: 0.99,
    metric: 'temporal_activity_schedule_to_start_latency',
    toMs: 1,
  }),
];

export function defaultQueryConfig(): QueryConfig {
  return { labels: {}, matchers: { k8s: { namespace: 'temporal' } }, queries: structuredClone(defaultQueries) };
}

interface ConfigFile {
  rateWindow?: string;
  stepSeconds?: number;
  labels?: Record<string, string>;
  matchers?: Partial<Record<Scope, Matchers>>;
  /** By id: a partial override of a default query, a new query, or null to disable one. */
  queries?: Record<string, Partial<QuerySpec> | null>;
}

/** Merges a config override onto the defaults; throws UsageError on anything it cannot use. */
export function mergeQueryConfig(base: QueryConfig, file: ConfigFile, source = 'query config'): QueryConfig {
  const bad = (why: string) => new UsageError(`${source}: ${why}`);
  if (typeof file !== 'object' || file === null || Array.isArray(file)) throw bad('must be a JSON object');
  if (file.rateWindow !== undefined && !(parseDurationSeconds(String(file.rateWindow))! > 0)) throw bad(`rateWindow must be a duration like 2m or 30s, got ${file.rateWindow}`);
  if (file.stepSeconds !== undefined && !(file.stepSeconds > 0)) throw bad('stepSeconds must be positive');
  const out: QueryConfig = {
    rateWindow: file.rateWindow ?? base.rateWindow,
    stepSeconds: file.stepSeconds ?? base.stepSeconds,
    labels: { ...base.labels, ...file.labels },
    matchers: { ...base.matchers, ...file.matchers },
    queries: base.queries.map((query) => ({ ...query })),
  };
  for (const [id, override] of Object.entries(file.queries ?? {})) {
    const index = out.queries.findIndex((query) => query.id === id);
    if (override === null) {
      if (index >= 0) out.queries.splice(index, 1);
      continue;
    }
    const merged = { ...(index >= 0 ? out.queries[index] : {}), ...override, id } as QuerySpec;
    if (!merged.expr && !merged.promql) throw bad(`query ${id} needs "expr" or "promql"`);
    if (!merged.title || !merged.group || !merged.unit) throw bad(`query ${id} needs title, group and unit`);
    merged.scope ??= 'server';
    if (override.promql !== undefined && override.expr === undefined) delete merged.expr;
    if (override.expr !== undefined && override.promql === undefined) delete merged.promql;
    if (index >= 0) out.queries[index] = merged;
    else out.queries.push(merged);
  }
  return out;
}

export function loadQueryConfig(file?: string): QueryConfig {
  const base = defaultQueryConfig();
  if (!file) return base;
  let parsed: ConfigFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ConfigFile;
  } catch (err) {
    throw new UsageError(`cannot read query config ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  return mergeQueryConfig(base, parsed, file);
}

/** The expression with the config's label renames and scope matchers applied (what is actually run). */
export function resolveExpr(expr: Expr, scope: Scope, config: Pick<QueryConfig, 'labels' | 'matchers'>): Expr {
  const rename = (label: string) => config.labels[label] ?? label;
  if (expr.kind === 'ratio') return { ...expr, num: resolveExpr(expr.num, scope, config), den: resolveExpr(expr.den, scope, config) };
  const match: Matchers = {};
  for (const [label, value] of Object.entries({ ...config.matchers[scope], ...expr.match })) match[rename(label)] = value;
  return { ...expr, match, by: (expr.by ?? []).map(rename) };
}

function matcherText(label: string, value: string): string {
  const [op, v] = value.startsWith('!~') ? ['!~', value.slice(2)] : value.startsWith('~') ? ['=~', value.slice(1)] : value.startsWith('!') ? ['!=', value.slice(1)] : ['=', value];
  return `${label}${op}${JSON.stringify(v)}`;
}

function selector(metric: string, match: Matchers = {}, suffix = ''): string {
  const parts = Object.entries(match).map(([label, value]) => matcherText(label, value));
  if (metric.startsWith('~')) parts.unshift(matcherText('__name__', `~(${metric.slice(1)})${suffix}`));
  const name = metric.startsWith('~') ? '' : `${metric}${suffix}`;
  return `${name}{${parts.join(',')}}`;
}

const sumBy = (by: string[] = []) => (by.length ? `sum by (${by.join(', ')}) ` : 'sum ');

/** PromQL for a (resolved) expression. */
export function toPromQL(expr: Expr, rateWindow: string): string {
  switch (expr.kind) {
    case 'rate':
      return `${sumBy(expr.by)}(rate(${selector(expr.metric, expr.match)}[${rateWindow}]))`;
    case 'gauge':
      return `${expr.agg ?? 'sum'}${expr.by?.length ? ` by (${expr.by.join(', ')})` : ''} (${selector(expr.metric, expr.match)})`;
    case 'quantile': {
      const inner = `${sumBy(['le', ...(expr.by ?? [])])}(rate(${selector(expr.metric, expr.match, '_bucket')}[${rateWindow}]))`;
      const quantile = `histogram_quantile(${expr.q}, ${inner})`;
      return expr.toMs && expr.toMs !== 1 ? `${quantile} * ${expr.toMs}` : quantile;
    }
    case 'ratio':
      return `(${toPromQL(expr.num, rateWindow)}) / (${toPromQL(expr.den, rateWindow)})`;
  }
}

/** The PromQL a query runs under a config, with `rateWindow` (e.g. "8s") in every range. */
export function queryPromQL(query: QuerySpec, config: QueryConfig, rateWindow: string): string {
  if (query.promql) return query.promql;
  if (!query.expr) throw new UsageError(`query ${query.id} has neither expr nor promql`);
  return toPromQL(resolveExpr(query.expr, query.scope, config), rateWindow);
}

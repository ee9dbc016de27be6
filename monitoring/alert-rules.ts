/**
 * The alert rules a measurement sets, as data: each names its PromQL, its threshold and where the
 * threshold came from, and carries two synthetic inputs (one that must fire it, one that must not)
 * from which the promtool unit tests are written (alert-files.ts). Metric and label names are the
 * Temporal server's and the TypeScript SDK's defaults (metrics/server-queries.ts reads the same ones).
 */
import { rounded } from '../reports/format.js';
import type { Figure, Measured } from './measured.js';

export interface AlertOptions {
  /** How long a condition must hold before the alert fires (PromQL duration, e.g. "5m"). */
  for: string;
  /** Range of every rate() (e.g. "5m"). */
  rateWindow: string;
  /** The start-rate alert fires above this share of the sustainable rate. */
  rateShare: number;
}

export const defaultAlertOptions: AlertOptions = { for: '5m', rateWindow: '5m', rateShare: 0.8 };

/** A counter series for promtool: its labels and how fast it grows (alert-files.ts picks the sample interval). */
export interface ProbeSeries {
  series: string;
  perSecond: number;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'warning' | 'critical' };
  annotations: Record<string, string>;
  /** Synthetic inputs: `fire` must make the alert fire with `firingLabels` added; `quiet` must not. */
  probe: { fire: ProbeSeries[]; quiet: ProbeSeries[]; firingLabels: Record<string, string> };
}

/** An alert the measurement could not set, and why (printed, and written as a comment). */
export interface SkippedAlert {
  alert: string;
  why: string;
}

/**
 * Histogram buckets (seconds, like the server's timers; ms for the SDK's) in which every observation
 * lies in (2×, 4×] the threshold (p99 far above it) or at most half of it (p99 below it).
 */
function histogram(metric: string, labels: string, threshold: number, above: boolean): ProbeSeries[] {
  const bounds = [threshold / 2, threshold * 2, threshold * 4];
  const perSecond = 10;
  return [...bounds.map(String), '+Inf'].map((le, i) => ({
    series: `${metric}_bucket{${labels}${labels ? ',' : ''}le="${le}"}`,
    // Cumulative buckets: everything in the first (quiet) or from the third on (fire).
    perSecond: (above ? i >= 2 : true) ? perSecond : 0,
  }));
}

interface Context {
  m: Measured;
  o: AlertOptions;
}

function annotations(m: Measured, summary: string, figure: Figure, extra: string): Record<string, string> {
  return {
    summary,
    description: `${extra} Threshold from ${figure.source}.`,
    measured_value: rounded(figure.value, 3),
    measured_by: `temporal-bench ${m.kind} ${m.id}`,
  };
}

type Builder = (c: Context) => AlertRule | SkippedAlert;

const startRate: Builder = ({ m, o }) => {
  const alert = 'TemporalStartRateNearCapacity';
  if (!m.sustainableRps) return { alert, why: `${m.kind} ${m.id} showed no sustainable start rate` };
  const limit = m.sustainableRps.value * o.rateShare;
  const starts = 'service_requests{service_name="frontend",operation=~"StartWorkflowExecution|SignalWithStartWorkflowExecution"}';
  return {
    alert,
    expr: `sum(rate(${starts}[${o.rateWindow}])) > ${rounded(limit, 3)}`,
    for: o.for,
    labels: { severity: 'warning' },
    annotations: annotations(
      m,
      `Workflow start rate above ${Math.round(o.rateShare * 100)}% of the measured sustainable rate (${rounded(limit, 3)}/s of ${rounded(m.sustainableRps.value, 3)}/s)`,
      m.sustainableRps,
      'Past the sustainable rate latency climbs and backlogs grow: add capacity (bench capacity names the limiting component) or shed load.',
    ),
    probe: {
      fire: [{ series: 'service_requests{service_name="frontend",operation="StartWorkflowExecution"}', perSecond: m.sustainableRps.value * Math.min(1, o.rateShare + 0.1) }],
      quiet: [{ series: 'service_requests{service_name="frontend",operation="StartWorkflowExecution"}', perSecond: m.sustainableRps.value * o.rateShare * 0.5 }],
      firingLabels: {},
    },
  };
};

const scheduleToStart: Builder = ({ m, o }) => {
  const f = m.scheduleToStartP99Ms;
  const seconds = f.value / 1000;
  return {
    alert: 'TemporalScheduleToStartHigh',
    expr: `histogram_quantile(0.99, sum by (le, task_type) (rate(task_schedule_to_start_latency_bucket[${o.rateWindow}]))) * 1000 > ${rounded(f.value, 3)}`,
    for: o.for,
    labels: { severity: 'warning' },
    annotations: annotations(m, `Task schedule-to-start p99 above ${rounded(f.value, 3)} ms`, f, 'Tasks wait for a worker: worker slots or pollers are short, or matching is behind.'),
    probe: { fire: histogram('task_schedule_to_start_latency', 'task_type="Activity"', seconds, true), quiet: histogram('task_schedule_to_start_latency', 'task_type="Activity"', seconds, false), firingLabels: { task_type: 'Activity' } },
  };
};

const endToEnd: Builder = ({ m, o }) => {
  const alert = 'TemporalWorkflowEndToEndHigh';
  const f = m.e2eP99SloMs;
  if (!f) return { alert, why: 'no workflow_e2e p(99) SLO was set' };
  return {
    alert,
    expr: `histogram_quantile(0.99, sum by (le, workflow_type) (rate(temporal_workflow_endtoend_latency_bucket[${o.rateWindow}]))) > ${rounded(f.value, 3)}`,
    for: o.for,
    labels: { severity: 'warning' },
    annotations: annotations(m, `Workflow end-to-end p99 above the ${rounded(f.value, 3)} ms SLO (SDK metric from the workers)`, f, 'Workflows take longer than the SLO the capacity was measured against.'),
    probe: {
      fire: histogram('temporal_workflow_endtoend_latency', 'workflow_type="Probe"', f.value, true),
      quiet: histogram('temporal_workflow_endtoend_latency', 'workflow_type="Probe"', f.value, false),
      firingLabels: { workflow_type: 'Probe' },
    },
  };
};

const persistenceLatency: Builder = ({ m, o }) => {
  const alert = 'TemporalPersistenceLatencyHigh';
  const f = m.persistenceP99Ms;
  if (!f) return { alert, why: 'persistence latency was not measured (no server metrics snapshot)' };
  return {
    alert,
    expr: `histogram_quantile(0.99, sum by (le, operation) (rate(persistence_latency_bucket[${o.rateWindow}]))) * 1000 > ${rounded(f.value, 3)}`,
    for: o.for,
    labels: { severity: 'warning' },
    annotations: annotations(m, `Persistence p99 above its value at the knee (${rounded(f.value, 3)} ms)`, f, 'The database answers slower than it did at the highest load measured: check its CPU, IOPS and connections.'),
    probe: {
      fire: histogram('persistence_latency', 'operation="UpdateWorkflowExecution"', f.value / 1000, true),
      quiet: histogram('persistence_latency', 'operation="UpdateWorkflowExecution"', f.value / 1000, false),
      firingLabels: { operation: 'UpdateWorkflowExecution' },
    },
  };
};

const resourceExhausted: Builder = ({ m, o }) => ({
  alert: 'TemporalResourceExhausted',
  expr: `sum by (service_name, resource_exhausted_cause) (rate(service_errors_resource_exhausted[${o.rateWindow}])) > 0`,
  for: o.for,
  labels: { severity: 'warning' },
  annotations: annotations(
    m,
    'Temporal is rejecting requests as resource exhausted',
    { value: 0, source: 'any throttling (the measured sustainable load had none)' },
    'A rate limit or concurrency limit is being hit (the cause label names it: frontend RPS, namespace count, persistence QPS, busy workflow).',
  ),
  probe: {
    fire: [{ series: 'service_errors_resource_exhausted{service_name="frontend",resource_exhausted_cause="RpsLimit"}', perSecond: 1 }],
    quiet: [{ series: 'service_errors_resource_exhausted{service_name="frontend",resource_exhausted_cause="RpsLimit"}', perSecond: 0 }],
    firingLabels: { service_name: 'frontend', resource_exhausted_cause: 'RpsLimit' },
  },
});

const failureRate: Builder = ({ m, o }) => {
  const limit = Math.max(0.01, m.failureRatio.value * 2);
  // One sum per metric (or 0 when it has no series yet): rate() over several names at once collides on labels.
  const closed = (names: string) =>
    `(${names
      .split('|')
      .map((n) => `(sum(rate(workflow_${n}{operation="CompletionStats"}[${o.rateWindow}])) or vector(0))`)
      .join(' + ')})`;
  return {
    alert: 'TemporalWorkflowFailureRateHigh',
    expr: `${closed('failed|timeout')} / ${closed('success|failed|timeout|terminate|cancel|continued_as_new')} > ${rounded(limit, 3)}`,
    for: o.for,
    labels: { severity: 'critical' },
    annotations: annotations(m, `More than ${rounded(limit * 100, 3)}% of closing workflows failed or timed out`, m.failureRatio, `Threshold: twice the measured failure ratio, at least 1%.`),
    probe: {
      fire: [
        { series: 'workflow_success{operation="CompletionStats"}', perSecond: 1 },
        { series: 'workflow_failed{operation="CompletionStats"}', perSecond: 1 },
      ],
      quiet: [
        { series: 'workflow_success{operation="CompletionStats"}', perSecond: 1 },
        { series: 'workflow_failed{operation="CompletionStats"}', perSecond: 0 },
      ],
      firingLabels: {},
    },
  };
};

/** Error types a caller causes (not found, already started, cancelled polls) or that alerts above cover. */
const benignFrontendErrors = 'serviceerror_(NotFound|NamespaceNotFound|WorkflowExecutionAlreadyStarted|NamespaceAlreadyExists|Canceled|QueryFailed|CancellationAlreadyRequested|ResourceExhausted)';

const frontendErrors: Builder = ({ m, o }) => ({
  alert: 'TemporalFrontendErrors',
  expr: `sum by (error_type) (rate(service_error_with_type{service_name="frontend",error_type!~"${benignFrontendErrors}"}[${o.rateWindow}])) / scalar(sum(rate(service_requests{service_name="frontend"}[${o.rateWindow}]))) > 0.01`,
  for: o.for,
  labels: { severity: 'warning' },
  annotations: annotations(
    m,
    'More than 1% of frontend requests fail with a server error (by error type)',
    { value: 0, source: 'the measured sustainable load (no server errors expected)' },
    'Caller errors (not found, already started) and throttling are left out; what remains is the cluster failing requests.',
  ),
  probe: {
    fire: [
      { series: 'service_requests{service_name="frontend",operation="StartWorkflowExecution"}', perSecond: 10 },
      { series: 'service_error_with_type{service_name="frontend",error_type="serviceerror_Unavailable"}', perSecond: 1 },
    ],
    quiet: [
      { series: 'service_requests{service_name="frontend",operation="StartWorkflowExecution"}', perSecond: 10 },
      { series: 'service_error_with_type{service_name="frontend",error_type="serviceerror_NotFound"}', perSecond: 1 },
    ],
    firingLabels: { error_type: 'serviceerror_Unavailable' },
  },
});

/** Lookups that find nothing and optimistic-concurrency conflicts: normal traffic, not the database failing. */
const benignPersistenceErrors = 'serviceerror_(NotFound|NamespaceNotFound|NamespaceAlreadyExists|WorkflowExecutionAlreadyStarted)|.*ConditionFailed.*|.*ShardOwnershipLost.*';

const persistenceErrors: Builder = ({ m, o }) => ({
  alert: 'TemporalPersistenceErrors',
  expr: `sum by (error_type) (rate(persistence_error_with_type{error_type!~"${benignPersistenceErrors}"}[${o.rateWindow}])) > 0`,
  for: o.for,
  labels: { severity: 'critical' },
  annotations: annotations(
    m,
    'Temporal cannot reach or use its database (persistence errors)',
    { value: 0, source: 'the measured sustainable load (no persistence errors expected)' },
    "PostgreSQL connection errors, timeouts or unavailability: check the database, its connection limit (max_connections vs the services' maxConns) and the network.",
  ),
  probe: {
    fire: [{ series: 'persistence_error_with_type{operation="UpdateWorkflowExecution",error_type="serviceerror_Unavailable"}', perSecond: 1 }],
    quiet: [{ series: 'persistence_error_with_type{operation="GetTaskQueue",error_type="serviceerror_NotFound"}', perSecond: 1 }],
    firingLabels: { error_type: 'serviceerror_Unavailable' },
  },
});

const builders: Builder[] = [startRate, endToEnd, scheduleToStart, persistenceLatency, resourceExhausted, failureRate, frontendErrors, persistenceErrors];

/** Every alert the measurement sets, and those it could not with the reason. */
export function alertRules(m: Measured, o: AlertOptions = defaultAlertOptions): { rules: AlertRule[]; skipped: SkippedAlert[] } {
  const out = builders.map((b) => b({ m, o }));
  return { rules: out.filter((r): r is AlertRule => 'expr' in r), skipped: out.filter((r): r is SkippedAlert => !('expr' in r)) };
}

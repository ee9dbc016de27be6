import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Timeline } from '../../recorder/timeline.js';
import { registerScrapeTarget } from '../../stack/prometheus.js';
import type { RunOutput } from '../output.js';
import type { RunContext } from '../run-context.js';

/** The runner's /metrics for the length of the run, a scrape target of the local stack's Prometheus when it has one. */
export class MetricsEndpoint implements RunOutput {
  readonly name = '/metrics';
  private server?: { address: string; close: () => Promise<void> };
  private unregister?: () => void;

  constructor(private readonly ctx: Pick<RunContext, 'plan' | 'timeline' | 'localStack'>) {}

  async start(): Promise<void> {
    const { plan, timeline, localStack } = this.ctx;
    this.server = await serveRunnerMetrics(timeline, { run_id: plan.runId, scenario: plan.scenario.name }, plan.metricsPort);
    if (localStack?.prometheusUrl) this.unregister = registerScrapeTarget(localStack.dir, `runner-${plan.runId}`, { address: this.server.address, labels: { job: 'bench-runner', run_id: plan.runId } });
  }

  async close(): Promise<void> {
    try {
      this.unregister?.();
    } finally {
      await this.server?.close();
    }
  }
}

/**
 * The runner's own Prometheus endpoint during a run: counters over the whole run and the latest
 * complete interval's rates and latency percentiles as gauges (names prefixed bench_runner_).
 */
export async function serveRunnerMetrics(timeline: Timeline, labels: { run_id: string; scenario: string }, port = 0): Promise<{ address: string; close: () => Promise<void> }> {
  const lbl = (extra: Record<string, string> = {}) =>
    `{${Object.entries({ ...labels, ...extra })
      .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
      .join(',')}}`;
  const render = (): string => {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [Record<string, string>, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [extra, v] of samples) lines.push(`${name}${lbl(extra)} ${Number.isFinite(v) ? v : 0}`);
    };
    const totals = timeline.totals(['warmup', 'steady', 'cooldown', 'drain'], false);
    const c = totals.counts;
    metric('bench_runner_starts_sent_total', 'counter', 'StartWorkflowExecution calls sent', [[{}, c.sent ?? 0]]);
    metric('bench_runner_starts_ok_total', 'counter', 'starts acknowledged by the server', [[{}, c.started ?? 0]]);
    metric('bench_runner_starts_dropped_total', 'counter', 'arrivals dropped at the in-flight cap', [[{}, c.dropped ?? 0]]);
    const codes = Object.entries(c).flatMap(([k, v]) => {
      const m = /^errors\{code:(.+)\}$/.exec(k);
      return m ? [[{ code: m[1]! }, v] as [Record<string, string>, number]] : [];
    });
    metric('bench_runner_errors_total', 'counter', 'failed calls by gRPC status', codes);
    metric('bench_runner_workflows_completed_total', 'counter', 'workflows completed (from the workers)', [[{}, totals.completed]]);
    const r = timeline.latestComplete();
    if (r) {
      metric('bench_runner_target_rate', 'gauge', 'intended starts in the last interval (per second)', [[{}, r.target]]);
      metric('bench_runner_sent_rate', 'gauge', 'starts sent in the last interval (per second)', [[{}, r.sent]]);
      metric('bench_runner_in_flight', 'gauge', 'starts in flight or queued', [[{}, r.inFlight]]);
      metric('bench_runner_event_loop_delay_p99_ms', 'gauge', 'generator event-loop delay p99', [[{}, r.generator.eventLoopDelayP99Ms]]);
      // End-to-end figures come from the newest interval the workers reported on (they trail by a poll).
      const { e2e: _partial, ...generatorSide } = r.latencyMs;
      const e2e = timeline.latestWithE2E()?.latencyMs.e2e;
      const lat = Object.entries(e2e ? { ...generatorSide, e2e } : generatorSide).flatMap(([op, s]) => (['p50', 'p90', 'p99', 'max'] as const).map((q) => [{ op, quantile: q }, s[q]] as [Record<string, string>, number]));
      metric('bench_runner_latency_ms', 'gauge', 'latency percentiles in the last interval (ms)', lat);
    }
    return `${lines.join('\n')}\n`;
  };
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/metrics')) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(render());
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { address: `127.0.0.1:${bound}`, close: () => new Promise((r) => server.close(() => r())) };
}

import type { RunOutput } from '../output.js';
import type { RunContext } from '../run-context.js';
import type { RunRecord } from '../run-record.js';
import { HlogFlush } from './hlog-flush.js';
import { LiveView } from './live-view.js';
import { MetricsEndpoint } from './metrics-endpoint.js';
import { ResultJson } from './result-json.js';
import { printedSummary } from './summary.js';

/**
 * The outputs of every run, segments of a split run included, in the order their hooks run: /metrics
 * is served before result.json first appears; each tick redraws the live view, then appends the
 * .hlog, then (every 10 s or more) rewrites result.json; at the end the .hlog and result.json are
 * final before the summary names them. The after-run outputs (drift, report, annotations, gate)
 * follow, from the command's flags (cli/run-finish.ts).
 */
export function runOutputs(ctx: RunContext, record: RunRecord, log: (line: string) => void): RunOutput[] {
  return [new MetricsEndpoint(ctx), new LiveView(ctx.timeline, ctx), new HlogFlush(ctx.hlog), new ResultJson(ctx.plan.outDir, record), printedSummary(log)];
}

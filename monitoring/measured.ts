/**
 * What a finished capacity search or run measured that an alert can be set from: the sustainable
 * start rate, the SLOs it was judged by, persistence latency at the knee and the failure ratio at
 * sustainable load. Every figure keeps where it came from, so each alert can say so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CapacityReport, CapacityStep } from '../capacity/run-capacity.js';
import { UsageError } from '../core/errors.js';
import { readServerMetrics } from '../metrics/prometheus-snapshot.js';
import { found, rank } from '../reports/recommendations/evidence.js';
import type { ResultFile, ResultSummary } from '../recorder/result-schema.js';
import { parseThreshold } from '../recorder/thresholds.js';

/** Temporal's guidance (reference notes): p99 schedule-to-start above 200 ms is an alert. */
export const SCHEDULE_TO_START_GUIDANCE_MS = 200;

export interface Figure {
  value: number;
  /** Where it was measured, e.g. "bench capacity cap2612021700-ab12: highest sustainable step". */
  source: string;
}

export interface Measured {
  kind: 'capacity' | 'run';
  /** The capacity id or run id: every alert's annotations name it. */
  id: string;
  namespace: string;
  sustainableRps: Figure | null;
  e2eP99SloMs: Figure | null;
  scheduleToStartP99Ms: Figure;
  persistenceP99Ms: Figure | null;
  failureRatio: Figure;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The bound of a `workflow_e2e` `p(99)<X` (or `<=`) SLO, from the SLO list (capacity) or the thresholds
 * (run), read by the runner's own threshold parser.
 */
function e2eSlo(expressions: { metric: string; expression: string }[], source: string): Figure | null {
  for (const { metric, expression } of expressions) {
    if (metric !== 'workflow_e2e') continue;
    const t = parseThreshold(metric, expression, () => 0);
    if (t.aggregation === 'p' && t.percentile === 99 && (t.op === '<' || t.op === '<=')) return { value: t.value, source: `${source}: SLO workflow_e2e ${expression.trim()}` };
  }
  return null;
}

/** No threshold metric measures schedule-to-start: the alert uses Temporal's guidance. */
const scheduleToStart: Figure = { value: SCHEDULE_TO_START_GUIDANCE_MS, source: "Temporal's guidance (p99 schedule-to-start above 200 ms)" };

/** Worst operation's persistence p99 (p75 over the steady window) from a result dir's server snapshot. */
function persistenceAt(dir: string | undefined, source: string): Figure | null {
  if (!dir) return null;
  try {
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as ResultFile;
    const worst = rank(found({ result, server: readServerMetrics(dir) }, 'persistence_p99'), 'sustained')[0];
    return worst ? { value: round(worst.value, 1), source: `${source}: persistence_latency p99 of ${worst.where || 'all operations'} (p75 over ${worst.scope})` } : null;
  } catch {
    return null; // no server snapshot (no Prometheus at the time): the alert says it was not measured
  }
}

function failures(s: Pick<ResultSummary, 'completed' | 'failed'>, source: string): Figure {
  const closed = s.completed + s.failed;
  return { value: closed ? round(s.failed / closed, 4) : 0, source: `${source}: ${s.failed} of ${closed} workflows failed` };
}

export function fromCapacity(report: CapacityReport): Measured {
  const source = `bench capacity ${report.capacityId}`;
  const slo = report.slo.map((s) => ({ metric: s.slice(0, s.indexOf('=')), expression: s.slice(s.indexOf('=') + 1) }));
  const judged = report.steps.filter((s) => !s.remeasuredBecause);
  const sustainable = judged.filter((s) => s.verdict.sustainable).sort((a, b) => b.measurement.targetRps - a.measurement.targetRps);
  const at = (rps: number | undefined): CapacityStep | undefined => judged.find((s) => s.measurement.targetRps === rps);
  // The knee's step when it was measured, else the highest sustainable one: the latency the cluster
  // runs at just before it bends, which an alert should call unusual.
  const knee = at(report.knee?.rps) ?? sustainable[0];
  const totals = sustainable[0] ? resultSummary(sustainable[0].measurement.resultDir) : undefined;
  return {
    kind: 'capacity',
    id: report.capacityId,
    namespace: report.namespace,
    sustainableRps: report.maxSustainableRps === null ? null : { value: report.maxSustainableRps, source: `${source}: highest sustainable start rate` },
    e2eP99SloMs: e2eSlo(slo, source),
    scheduleToStartP99Ms: scheduleToStart,
    persistenceP99Ms: knee ? persistenceAt(knee.measurement.resultDir, `${source} at ${knee.measurement.targetRps}/s${knee === at(report.knee?.rps) ? ' (the knee)' : ''}`) : null,
    failureRatio: totals ? failures(totals, `${source} at ${sustainable[0]!.measurement.targetRps}/s`) : { value: 0, source: `${source}: no sustainable step` },
  };
}

function resultSummary(dir: string | undefined): ResultSummary | undefined {
  if (!dir) return undefined;
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as ResultFile).summary;
  } catch {
    return undefined;
  }
}

/**
 * A run shows a rate sustainable only when it was valid and met every threshold: then its achieved
 * start rate is a floor of the capacity (a capacity search gives the real figure).
 */
export function fromRun(result: ResultFile, dir: string): Measured {
  const source = `bench run ${result.runId}`;
  const s = result.summary;
  const passed = s.valid && s.thresholds.every((t) => t.ok);
  return {
    kind: 'run',
    id: result.runId,
    namespace: result.environment?.namespace ?? 'bench',
    sustainableRps: passed ? { value: round(s.achievedRate, 2), source: `${source}: passed its thresholds at this start rate (a floor; bench capacity finds the maximum)` } : null,
    e2eP99SloMs: e2eSlo(s.thresholds, source),
    scheduleToStartP99Ms: scheduleToStart,
    persistenceP99Ms: persistenceAt(dir, source),
    failureRatio: failures(s, source),
  };
}

/** capacity.json or result.json in `dir` (a capacity search's output or a run's result directory). */
export function readMeasured(dir: string): Measured {
  const capacity = path.join(dir, 'capacity.json');
  const run = path.join(dir, 'result.json');
  const read = (file: string) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  if (fs.existsSync(capacity)) return fromCapacity(read(capacity) as CapacityReport);
  if (fs.existsSync(run)) return fromRun(read(run) as ResultFile, dir);
  throw new UsageError(`${dir}: neither capacity.json nor result.json is there (give the output directory of bench capacity or bench run)`);
}

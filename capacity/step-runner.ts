import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionFlags } from '../core/connection.js';
import { planRun } from '../runner/plan.js';
import { runSpec } from '../runner/run-spec.js';
import type { IntervalRecord, ResultFile } from '../recorder/result-schema.js';
import { executeRun } from '../runner/run.js';
import { resourceWindow } from '../reports/recommendations/resource-stats.js';
import type { StepMeasurement, StepResources } from './judge.js';

export interface StepSettings {
  connection: ConnectionFlags & { address: string };
  /** `bench run` scenario giving the workload mix (its executor is replaced by --rps). */
  scenario: string;
  stepDurationS: number;
  settleS: number;
  slo: string[];
  workers: number;
  taskQueueActivitiesPerSecond?: number;
  /** maxConcurrentActivityTaskExecutions of each worker process. */
  activitySlots?: number;
  /** A JSON scenario (`--config`) reshaping the workload, e.g. its mix. */
  config?: string;
  /** The local stack serving the address: its processes are sampled and it scrapes the workers. */
  stackDir?: string;
  drainTimeout: string;
  maxRps: number;
  allowProduction: boolean;
  outDir: string;
  capacityId: string;
}

/** Started minus finished at `untilT`, from the per-interval counts. */
function backlogAt(timeline: IntervalRecord[], untilT: number): number {
  let started = 0;
  let finished = 0;
  for (const r of timeline) {
    if (r.t >= untilT) break;
    started += r.started;
    // By the second they finished in (completed/failed count where each workflow was meant to start).
    finished += r.finished ?? r.completed + r.failed;
  }
  return started - finished;
}

/**
 * The backlog's least-squares line over every second boundary of the window, read at its two ends.
 * Two instants alone carry the in-flight count's swing (a rate limiter releasing work in bursts moved
 * it by more than a second of starts at a rate being served); the trend keeps only what accumulates.
 */
export function backlogTrend(timeline: IntervalRecord[], window: IntervalRecord[]): { start: number; end: number } {
  const first = window[0];
  const last = window.at(-1);
  if (!first || !last) return { start: 0, end: 0 };
  const points = [first.t, ...window.map((r) => r.t + r.durationS)].map((t) => ({ t, b: backlogAt(timeline, t) }));
  const n = points.length;
  const meanT = points.reduce((a, p) => a + p.t, 0) / n;
  const meanB = points.reduce((a, p) => a + p.b, 0) / n;
  const varT = points.reduce((a, p) => a + (p.t - meanT) ** 2, 0);
  const slope = varT > 0 ? points.reduce((a, p) => a + (p.t - meanT) * (p.b - meanB), 0) / varT : 0;
  const at = (t: number) => Math.round(meanB + slope * (t - meanT));
  return { start: at(first.t), end: at(last.t + last.durationS) };
}

/** The steady window's host CPU and its five largest consumers. */
export function stepResources(result: ResultFile): StepResources | undefined {
  const w = resourceWindow(result);
  if (!w) return undefined;
  const top = w.consumers.slice(0, 5).map((c) => ({ id: c.id, cores: Math.round(c.mean * 100) / 100, rssMb: c.peakRssMb === null ? null : Math.round(c.peakRssMb) }));
  return { hostCores: w.cores, hostBusyCores: Math.round(w.busySustained * 100) / 100, top };
}

/** Reads a step's result.json into what the search judges (steady window only). */
export function measurementFromResult(result: ResultFile, targetRps: number, resultDir: string): StepMeasurement {
  const s = result.summary;
  const steady = result.timeline.filter((r) => r.phase === 'steady');
  const backlog = backlogTrend(result.timeline, steady);
  const durationS = steady.reduce((n, r) => n + r.durationS, 0) || 1;
  const completed = steady.reduce((n, r) => n + r.completed, 0);
  const calls = s.sentStarts + s.dropped;
  // Drops at the in-flight cap mean the server did not answer in time: that is the server's limit,
  // measured by the achieved rate. Any other invalid reason is the generator's own.
  const generatorReasons = s.invalidReasons.filter((r) => !/dropped at the in-flight cap/.test(r));
  return {
    targetRps,
    achievedRps: s.achievedRate,
    completedRps: completed / durationS,
    backlogStart: backlog.start,
    backlogEnd: backlog.end,
    errorRate: calls > 0 ? (s.errors + s.dropped) / calls : 0,
    e2eP50Ms: s.latencyMs.e2e?.p50 ?? 0,
    e2eP99Ms: s.latencyMs.e2e?.p99 ?? 0,
    startP99Ms: s.latencyMs.start?.p99 ?? 0,
    thresholds: s.thresholds,
    generatorValid: generatorReasons.length === 0,
    invalidReasons: s.invalidReasons,
    durationS,
    resultDir,
    window: result.window ?? undefined,
    resources: stepResources(result),
  };
}

/** Runs one fixed-rate step as a normal `bench run` (own run id, task queue and result directory). */
export async function runStep(settings: StepSettings, rps: number, index: number, log: (line: string) => void): Promise<StepMeasurement> {
  const runId = `${settings.capacityId}-s${index}-${rps}`;
  const out = path.join(settings.outDir, `step-${String(index).padStart(2, '0')}-${rps}rps`);
  const spec = runSpec({
    connection: settings.connection,
    scenario: settings.scenario,
    config: settings.config,
    rps,
    duration: `${settings.stepDurationS + settings.settleS}s`,
    warmup: `${settings.settleS}s`,
    cooldown: '0s',
    thresholds: settings.slo,
    runId,
    out,
    drainTimeout: settings.drainTimeout,
    // Every step runs in this one process: the native client's core runtime can be installed once per
    // process, so each step's generator is its own process with its own runtime.
    generatorProcess: 'fork',
    maxRps: settings.maxRps,
    allowProduction: settings.allowProduction,
    workers: settings.workers,
    taskQueueActivitiesPerSecond: settings.taskQueueActivitiesPerSecond,
    activitySlots: settings.activitySlots,
    stackDir: settings.stackDir,
  });
  const plan = await planRun(spec);
  await executeRun(plan, false, log);
  const result = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as ResultFile;
  return measurementFromResult(result, rps, out);
}

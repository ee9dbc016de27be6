import { encodeHistogram, mergeEncoded, type Histogram } from '../metrics/histogram.js';
import { parseDurationMs } from '../scenarios/duration.js';
import type { ScenarioDefinition } from '../scenarios/types.js';
import type { IntervalRecord, LatencyStats, Phase, PhaseOutcomes, Reconciliation, ResultSummary, SteadyTotals } from '../recorder/result-schema.js';
import { thresholdDataOf } from '../recorder/summary.js';
import { evaluateThresholds, parseThresholds } from '../recorder/thresholds.js';
import { latencyMetrics, latencyStats } from '../recorder/timeline.js';
import type { LoadedSegment } from './segments.js';

const round = (x: number) => Math.round(x * 1000) / 1000;
const sum = (segments: LoadedSegment[], f: (s: ResultSummary) => number | undefined) => segments.reduce((n, s) => n + (f(s.result.summary) ?? 0), 0);

/** The steady window's histograms of every segment added per key (tagged keys too): exact, never averaged. */
export function mergeSteadyHistograms(segments: LoadedSegment[]): Map<string, Histogram> {
  const byKey = new Map<string, string[]>();
  for (const s of segments) for (const [key, encoded] of Object.entries(s.result.histograms)) byKey.set(key, [...(byKey.get(key) ?? []), encoded]);
  return new Map([...byKey].map(([key, parts]) => [key, mergeEncoded(parts)]));
}

function mergeSteadyTotals(segments: LoadedSegment[]): SteadyTotals {
  const out: SteadyTotals = { counts: {}, completed: 0, failed: 0, canceled: 0, durationS: 0, targets: 0 };
  for (const s of segments) {
    const t = s.result.summary.steady;
    if (!t) continue;
    for (const [k, v] of Object.entries(t.counts)) out.counts[k] = (out.counts[k] ?? 0) + v;
    out.completed += t.completed;
    out.failed += t.failed;
    out.canceled += t.canceled;
    out.targets += t.targets;
    out.durationS = Math.max(out.durationS, t.durationS);
  }
  return out;
}

function mergeOutcomes(segments: LoadedSegment[]): Partial<Record<Phase, PhaseOutcomes>> {
  const out: Partial<Record<Phase, PhaseOutcomes>> = {};
  for (const s of segments) {
    for (const [phase, o] of Object.entries(s.result.summary.outcomesByPhase ?? {}) as [Phase, PhaseOutcomes][]) {
      const m = (out[phase] ??= { outcomes: 0, afterPhaseEnd: 0, censored: 0 });
      m.outcomes += o.outcomes;
      m.afterPhaseEnd += o.afterPhaseEnd;
      m.censored += o.censored;
    }
  }
  return out;
}

export interface MergedSummaryInputs {
  segments: LoadedSegment[];
  timeline: IntervalRecord[];
  scenario: ScenarioDefinition;
  reconciliation: Reconciliation | null;
  /** Why the merged run is invalid beyond the segments' own reasons (missing, late, clock skew). */
  extraInvalidReasons: string[];
}

/**
 * The merged run's summary: counts summed, latencies from the merged steady histograms, thresholds
 * evaluated again on the merged data (a segment's own verdict saw a fraction of the load), and
 * valid only when every segment was.
 */
export function mergedSummary(inputs: MergedSummaryInputs): { summary: ResultSummary; histograms: Record<string, string> } {
  const { segments, timeline } = inputs;
  const steadyHistograms = mergeSteadyHistograms(segments);
  const steady = mergeSteadyTotals(segments);
  const latencyMs: Record<string, LatencyStats> = {};
  const histograms: Record<string, string> = {};
  for (const [key, h] of steadyHistograms) {
    if (h.totalCount === 0) continue;
    histograms[key] = encodeHistogram(h);
    if ((latencyMetrics as readonly string[]).includes(key)) latencyMs[key] = latencyStats(h);
  }
  const tags = [...new Set(inputs.scenario.mix.map((m) => m.tag ?? m.kind))];
  const thresholds = parseThresholds(inputs.scenario.thresholds, (s) => parseDurationMs(s, 'delayAbortEval'));
  const data = thresholdDataOf({ histograms: steadyHistograms, counts: steady.counts, completed: steady.completed, failed: steady.failed, canceled: steady.canceled, durationS: steady.durationS }, steady.targets, tags);
  const reasons = [...segments.flatMap((s) => s.result.summary.invalidReasons.map((r) => `segment ${s.index}: ${r}`)), ...inputs.extraInvalidReasons];
  const errorsByCode: Record<string, number> = {};
  for (const s of segments) for (const [code, n] of Object.entries(s.result.summary.errorsByCode)) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
  const targetStarts = timeline.reduce((n, r) => n + r.target, 0);
  const loadDurationS = Math.max(1e-9, ...segments.map((s) => s.result.summary.loadDurationS ?? 0));
  const startedOk = sum(segments, (s) => s.startedOk);
  const cpuSeconds = sum(segments, (s) => s.generator?.cpuSeconds);
  const sent = sum(segments, (s) => s.sentStarts);
  const summary: ResultSummary = {
    targetRate: round(targetStarts / loadDurationS),
    achievedRate: round(startedOk / loadDurationS),
    targetStarts,
    sentStarts: sent,
    startedOk,
    dropped: sum(segments, (s) => s.dropped),
    errors: sum(segments, (s) => s.errors),
    errorsByCode,
    completed: sum(segments, (s) => s.completed),
    failed: sum(segments, (s) => s.failed),
    latencyMs,
    reconciliation: inputs.reconciliation,
    thresholds: evaluateThresholds(thresholds, data),
    valid: reasons.length === 0,
    invalidReasons: reasons,
    loadDurationS: round(loadDurationS),
    steadyDurationS: round(steady.durationS),
    generator: {
      processes: sum(segments, (s) => s.generator?.processes),
      schedulingLagP99Ms: latencyMs.schedulingLag?.p99 ?? 0,
      eventLoopDelayP99MaxMs: Math.max(0, ...segments.map((s) => s.result.summary.generator?.eventLoopDelayP99MaxMs ?? 0)),
      cpuSeconds: round(cpuSeconds),
      startsPerCpuSecond: cpuSeconds > 0 ? Math.round(sent / cpuSeconds) : 0,
      terminatedByCleanup: 0,
    },
    outcomesByPhase: mergeOutcomes(segments),
    steady,
  };
  return { summary, histograms };
}

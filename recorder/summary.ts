import { encodeHistogram, type Histogram } from '../metrics/histogram.js';
import type { Availability, FaultRecord, GeneratorSummary, LatencyStats, Phase, PhaseOutcomes, Reconciliation, ResultSummary } from './result-schema.js';
import { availabilityThresholdData, evaluateThresholds, tagKey, type ParsedThreshold, type ThresholdData } from './thresholds.js';
import { latencyMetrics, latencyStats, type Timeline, type Totals } from './timeline.js';
import { judgeValidity, type ValidityBounds } from './validity.js';

export interface SummaryInputs {
  timeline: Timeline;
  openModel: boolean;
  thresholds: ParsedThreshold[];
  tags: string[];
  reconciliation: Reconciliation | null;
  bounds: ValidityBounds;
  generators: number;
  cpuSeconds: number;
  terminatedByCleanup: number;
  /** Problems found outside the timeline (dead generator, undrained queue). */
  extraInvalidReasons: string[];
  /** Faults injected so far and the outages seen: they decide whose doing a shortfall was. */
  faults?: FaultRecord[];
  availability?: Availability;
  /** The schedule's planned length, seconds (what the run would have taken uncut). */
  plannedDurationS: number;
  /** The run is still going (an incremental result.json): rates cover only the seconds reported so far. */
  inProgress?: boolean;
}

/** The steady-phase data thresholds are evaluated against. */
export function thresholdData(timeline: Timeline, tags: string[]): ThresholdData {
  return thresholdDataOf(timeline.totals(['steady']), steadyTargets(timeline), tags);
}

function steadyTargets(timeline: Timeline): number {
  return timeline
    .records()
    .filter((r) => r.phase === 'steady')
    .reduce((s, r) => s + r.target, 0);
}

/** Threshold data from steady totals: one run's, or the sum of a split run's segments (bench merge). */
export function thresholdDataOf(steady: Totals, targets: number, tags: string[]): ThresholdData {
  const c = steady.counts;
  const trends: ThresholdData['trends'] = Object.fromEntries(steady.histograms);
  const rates: ThresholdData['rates'] = {};
  rates.errors = { hits: c.errors ?? 0, total: c.calls ?? 0 };
  for (const tag of tags) rates[tagKey('errors', { kind: tag })] = { hits: c[tagKey('errors', { kind: tag })] ?? 0, total: c[tagKey('calls', { kind: tag })] ?? 0 };
  for (const [k, v] of Object.entries(c)) {
    const m = /^errors\{code:(.+)\}$/.exec(k);
    if (m) rates[k] = { hits: v, total: c.calls ?? 0 };
  }
  rates.dropped = { hits: c.dropped ?? 0, total: targets };
  rates.workflowFailures = { hits: steady.failed + steady.canceled, total: steady.completed + steady.failed + steady.canceled };
  const counters: ThresholdData['counters'] = { starts: { count: c.started ?? 0, durationS: steady.durationS } };
  for (const tag of tags) counters[tagKey('starts', { kind: tag })] = { count: c[tagKey('started', { kind: tag })] ?? 0, durationS: steady.durationS };
  return { trends, rates, counters };
}

export function buildSummary(inputs: SummaryInputs): { summary: ResultSummary; histograms: Record<string, string> } {
  const { timeline } = inputs;
  const records = timeline.records();
  const all = timeline.totals(['warmup', 'steady', 'cooldown', 'drain'], false);
  const steady = timeline.totals(['steady']);
  const c = all.counts;
  // A run cut short (or still going) is judged on the schedule that elapsed, not the one planned.
  const elapsedS = inputs.inProgress
    ? Math.min(
        timeline.loadEndS,
        records.reduce((m, r) => Math.max(m, r.t + 1), 0),
      )
    : timeline.loadEndS;
  const loadDurationS = Math.max(1e-9, elapsedS);
  const targetStarts = records.reduce((s, r) => s + r.target, 0);
  const errorsByCode: Record<string, number> = {};
  for (const r of records) for (const [code, n] of Object.entries(r.errors)) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
  const latencyMs: Record<string, LatencyStats> = {};
  const histograms: Record<string, string> = {};
  for (const [key, h] of steady.histograms as Map<string, Histogram>) {
    if (h.totalCount === 0) continue;
    histograms[key] = encodeHistogram(h);
    if ((latencyMetrics as readonly string[]).includes(key)) latencyMs[key] = latencyStats(h);
  }
  const sent = c.sent ?? 0;
  const started = c.started ?? 0;
  const dropped = c.dropped ?? 0;
  const { reasons, notes } = judgeValidity({
    records,
    openModel: inputs.openModel,
    bounds: inputs.bounds,
    lag: latencyMs.schedulingLag,
    sent,
    target: targetStarts,
    dropped,
    faults: inputs.faults ?? [],
    availability: inputs.availability,
    extra: inputs.extraInvalidReasons,
  });
  const generator: GeneratorSummary = {
    processes: inputs.generators,
    schedulingLagP99Ms: latencyMs.schedulingLag?.p99 ?? 0,
    eventLoopDelayP99MaxMs: Math.max(0, ...records.filter((r) => r.phase === 'steady').map((r) => r.generator.eventLoopDelayP99Ms)),
    cpuSeconds: Math.round(inputs.cpuSeconds * 100) / 100,
    startsPerCpuSecond: inputs.cpuSeconds > 0 ? Math.round(sent / inputs.cpuSeconds) : 0,
    terminatedByCleanup: inputs.terminatedByCleanup,
  };
  const summary: ResultSummary = {
    targetRate: round(targetStarts / loadDurationS),
    achievedRate: round(started / loadDurationS),
    targetStarts,
    sentStarts: sent,
    startedOk: started,
    dropped,
    errors: c.errors ?? 0,
    errorsByCode,
    completed: all.completed,
    failed: all.failed,
    latencyMs,
    reconciliation: inputs.reconciliation,
    thresholds: evaluateThresholds(inputs.thresholds, { ...thresholdData(timeline, inputs.tags), ...availabilityThresholdData(inputs.availability) }),
    valid: reasons.length === 0,
    invalidReasons: reasons,
    ...(notes.length ? { validityNotes: notes } : {}),
    loadDurationS: round(elapsedS),
    plannedDurationS: round(inputs.plannedDurationS),
    elapsedDurationS: round(elapsedS),
    steadyDurationS: round(steady.durationS),
    generator,
    outcomesByPhase: outcomesByPhase(timeline),
    steady: { counts: steady.counts, completed: steady.completed, failed: steady.failed, canceled: steady.canceled, durationS: steady.durationS, targets: steadyTargets(timeline) },
  };
  return { summary, histograms };
}

function outcomesByPhase(timeline: Timeline): Partial<Record<Phase, PhaseOutcomes>> {
  const out: Partial<Record<Phase, PhaseOutcomes>> = {};
  for (const phase of ['warmup', 'steady', 'cooldown', 'drain'] as const) {
    const c = timeline.totals([phase], false).counts;
    if (c.outcomes) out[phase] = { outcomes: c.outcomes, afterPhaseEnd: c.lateOutcomes ?? 0, censored: c.censored ?? 0 };
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

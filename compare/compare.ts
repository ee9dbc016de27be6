import { ExitCode } from '../core/errors.js';
import { hostLoad, hostLoadWarning, type HostLoad } from './host-load.js';
import { checkComparable, steadyIntervals, type LoadedResult } from './load.js';
import { metricSpecs, type MetricKind, type MetricSpec } from './metrics.js';
import { blockBootstrapChange } from './stats/bootstrap.js';

export type Verdict = 'improved' | 'unchanged' | 'regressed';
/** Inconclusive: a metric moved beyond tolerance, but towards the run whose host other processes kept busier. */
export type ComparisonVerdict = Verdict | 'inconclusive';

/** How large a change must be before it counts; relative for latency/throughput, absolute for rates. */
export interface Tolerances {
  /** Relative, e.g. 0.10 = 10% slower. */
  latency: number;
  /** Relative, e.g. 0.05 = 5% fewer starts per second. */
  throughput: number;
  /** Absolute, e.g. 0.005 = 0.5 percentage points more errors. */
  errorRate: number;
  /** Latency changes smaller than this (ms) are never a regression or an improvement. */
  latencyFloorMs: number;
}

/**
 * 0.01 rather than benchstat's 0.05: a gate that cries wolf gets switched off, and the changes worth
 * failing a PR for (≥ the tolerance, over ≥ 60 intervals) still test far below it.
 */
export const defaultAlpha = 0.01;

export const defaultTolerances: Tolerances = { latency: 0.1, throughput: 0.05, errorRate: 0.005, latencyFloorMs: 1 };

export interface CompareOptions {
  tolerances?: Partial<Tolerances>;
  /** Family-wise significance level across metrics (default 0.01). */
  alpha?: number;
  resamples?: number;
  allowDifferentScenario?: boolean;
  seed?: number;
}

export interface MetricComparison {
  id: string;
  label: string;
  unit: MetricSpec['unit'];
  better: MetricSpec['better'];
  scale: MetricSpec['scale'];
  baseline: number | null;
  candidate: number | null;
  /** Whole-run change: candidate/baseline − 1 (relative) or candidate − baseline (absolute). */
  delta: number | null;
  /** Block-bootstrap CI of the change of the per-interval statistic, same scale as delta (not Holm-adjusted). */
  ci: [number, number] | null;
  /** Unadjusted two-sided bootstrap p-value; `significant` applies Holm's correction across metrics. */
  pValue: number | null;
  /** The baseline's own run-internal noise (± on the same scale): changes inside it are noise. */
  noiseBand: number | null;
  significant: boolean;
  /** False when the samples cannot support a verdict (too few, or too few beyond a percentile): see note. */
  judged: boolean;
  tolerance: number;
  samples: { baseline: number; candidate: number };
  verdict: Verdict;
  note?: string;
}

export interface Comparison {
  baseline: { path: string; runId: string; scenario: string; startedAt: string; valid: boolean };
  candidate: { path: string; runId: string; scenario: string; startedAt: string; valid: boolean };
  method: string;
  alpha: number;
  tolerances: Tolerances;
  metrics: MetricComparison[];
  verdict: ComparisonVerdict;
  /** Other processes' CPU during each run (null without resource samples): see host-load.ts. */
  hostLoad: HostLoad | null;
  warnings: string[];
}

export const methodDescription =
  'circular moving-block bootstrap over steady-phase per-interval values (median for latency and throughput, mean for rates); ' +
  'significance by the bootstrap p-value with Holm correction across metrics; regressed only when also beyond the tolerance';

/** Fewer intervals than this per side cannot support a significance claim. */
const minSamples = 5;

function toleranceFor(kind: MetricKind, t: Tolerances): number {
  return kind === 'latency' ? t.latency : kind === 'throughput' ? t.throughput : t.errorRate;
}

interface Tested {
  out: MetricComparison;
  spec: MetricSpec;
  bootCi?: [number, number];
}

function testMetric(spec: MetricSpec, base: LoadedResult, cand: LoadedResult, tolerance: number, alpha: number, options: CompareOptions): Tested | null {
  const bSteady = steadyIntervals(base.result);
  const cSteady = steadyIntervals(cand.result);
  const bSamples = spec.samples(bSteady);
  const cSamples = spec.samples(cSteady);
  const baseline = spec.whole(base.result, bSteady);
  const candidate = spec.whole(cand.result, cSteady);
  if (baseline === null && candidate === null) return null;
  const out: MetricComparison = {
    id: spec.id,
    label: spec.label,
    unit: spec.unit,
    better: spec.better,
    scale: spec.scale,
    baseline,
    candidate,
    delta: null,
    ci: null,
    pValue: null,
    noiseBand: null,
    significant: false,
    judged: false,
    tolerance,
    samples: { baseline: bSamples.length, candidate: cSamples.length },
    verdict: 'unchanged',
  };
  const tested: Tested = { out, spec };
  if (baseline === null || candidate === null) return { ...tested, out: { ...out, note: `no ${baseline === null ? 'baseline' : 'candidate'} samples` } };
  if (spec.scale === 'relative' && baseline === 0) return { ...tested, out: { ...out, note: 'baseline is 0: no relative change' } };
  out.delta = spec.scale === 'relative' ? candidate / baseline - 1 : candidate - baseline;
  if (bSamples.length < minSamples || cSamples.length < minSamples) return { ...tested, out: { ...out, note: `fewer than ${minSamples} intervals per side` } };
  const untestable = spec.untestable?.(bSteady) ?? spec.untestable?.(cSteady);
  if (untestable) return { ...tested, out: { ...out, note: untestable } };
  out.judged = true;
  const boot = blockBootstrapChange(bSamples, cSamples, {
    statistic: spec.statistic,
    scale: spec.scale,
    confidence: 1 - alpha,
    resamples: options.resamples ?? 2000,
    seed: options.seed,
  });
  out.ci = boot.ci;
  out.pValue = boot.pValue;
  out.noiseBand = boot.noiseBand;
  const note = spec.intervalNote?.(bSteady);
  if (note) out.note = note;
  return { out, spec, bootCi: boot.ci };
}

/**
 * Holm's step-down correction over the tested metrics: a gate that judges ~10 metrics at α each would
 * raise a false alarm on a third of identical runs; Holm keeps the chance of any false "significant"
 * at α. Metrics whose samples never varied (p = 1) cannot be significant and do not widen the family.
 */
function holm(tested: Tested[], alpha: number): void {
  const family = tested.filter((t) => t.out.pValue !== null && t.out.pValue < 1).sort((a, b) => a.out.pValue! - b.out.pValue!);
  for (let i = 0; i < family.length; i++) {
    if (family[i]!.out.pValue! >= alpha / (family.length - i)) break;
    family[i]!.out.significant = true;
  }
}

/** Regressed: significant AND beyond the tolerance (and the latency floor) in the worse direction. */
function judge(t: Tested, floorMs: number): void {
  const { out, spec } = t;
  if (out.delta === null || !t.bootCi) return;
  const worse = spec.better === 'lower' ? out.delta : -out.delta;
  const ciWorse = spec.better === 'lower' ? t.bootCi[0] > 0 : t.bootCi[1] < 0;
  const ciBetter = spec.better === 'lower' ? t.bootCi[1] < 0 : t.bootCi[0] > 0;
  // Sub-millisecond moves of a fast operation are timer noise, whatever their ratio.
  const bigEnough = spec.kind !== 'latency' || Math.abs((out.candidate ?? 0) - (out.baseline ?? 0)) >= floorMs;
  if (out.significant && ciWorse && worse > out.tolerance && bigEnough) out.verdict = 'regressed';
  else if (out.significant && ciBetter && -worse > out.tolerance && bigEnough) out.verdict = 'improved';
  else if (out.significant) {
    const why = Math.abs(worse) <= out.tolerance ? 'significant but within tolerance' : !bigEnough ? `significant but under the ${floorMs} ms latency floor` : 'whole-run change disagrees with the interval statistic';
    out.note = [out.note, why].filter(Boolean).join('; ');
  }
}

function describe(r: LoadedResult) {
  const { runId, scenario, startedAt, summary } = r.result;
  return { path: r.path, runId, scenario: scenario.name, startedAt, valid: summary.valid !== false };
}

/** Compares a candidate run with a baseline run, metric by metric; throws UsageError if they are not comparable. */
export function compareResults(base: LoadedResult, cand: LoadedResult, options: CompareOptions = {}): Comparison {
  checkComparable(base, cand, options.allowDifferentScenario);
  const tolerances = { ...defaultTolerances, ...options.tolerances };
  const alpha = options.alpha ?? defaultAlpha;
  const tested = metricSpecs.map((spec) => testMetric(spec, base, cand, toleranceFor(spec.kind, tolerances), alpha, options)).filter((t): t is Tested => t !== null);
  holm(tested, alpha);
  for (const t of tested) judge(t, tolerances.latencyFloorMs);
  const metrics = tested.map((t) => t.out);
  const warnings: string[] = [];
  for (const [role, r] of [
    ['baseline', base],
    ['candidate', cand],
  ] as const) {
    if (r.result.summary.valid === false) warnings.push(`${role} run is invalid (${r.result.summary.invalidReasons?.join('; ') || 'generator saturated'}): its numbers are not trustworthy`);
    if (r.result.status !== 'completed') warnings.push(`${role} run status is ${r.result.status}`);
  }
  if (base.result.scenario.name !== cand.result.scenario.name) warnings.push('runs are of different scenarios');
  const load = hostLoad(base.result, cand.result);
  if (load?.busier) warnings.push(hostLoadWarning(load));
  const verdict = overallVerdict(metrics, load);
  return { baseline: describe(base), candidate: describe(cand), method: methodDescription, alpha, tolerances, metrics, verdict, hostLoad: load, warnings };
}

/**
 * Regressed if any metric regressed, improved if any improved; inconclusive instead when the change
 * points towards the busier host (a regression beside a busier candidate, an improvement beside a
 * busier baseline): the host explains it as well as the code does. The metrics keep their own verdicts.
 */
function overallVerdict(metrics: MetricComparison[], load: HostLoad | null): ComparisonVerdict {
  const any = (v: Verdict) => metrics.some((m) => m.verdict === v);
  if (any('regressed')) return load?.busier === 'candidate' ? 'inconclusive' : 'regressed';
  if (any('improved')) return load?.busier === 'baseline' ? 'inconclusive' : 'improved';
  return 'unchanged';
}

/** 99 on a regression; 98 (numbers not trustworthy) when the hosts differed too much to attribute a change. */
export function exitCodeFor(comparison: Comparison): number {
  return comparison.verdict === 'regressed' ? ExitCode.thresholdsFailed : comparison.verdict === 'inconclusive' ? ExitCode.invalidRun : ExitCode.ok;
}

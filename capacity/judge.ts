import type { ThresholdResult } from '../recorder/result-schema.js';
import { fixed, percent } from '../reports/format.js';

/** What one capacity step measured at a fixed target rate (steady window only, after the settle time). */
export interface StepMeasurement {
  targetRps: number;
  achievedRps: number;
  /** Completions per second over the same window. */
  completedRps: number;
  /** Workflows started but not finished, at the window's start and end, read off the backlog's trend line. */
  backlogStart: number;
  backlogEnd: number;
  errorRate: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  startP99Ms: number;
  thresholds: ThresholdResult[];
  /** False when the generator itself could not keep up (then the step says nothing about the server). */
  generatorValid: boolean;
  /** Why the run was invalid, as the runner said it (the generator's own reasons decide generatorValid). */
  invalidReasons?: string[];
  durationS: number;
  /** Where the step's result files are (for the report and for evidence queries). */
  resultDir?: string;
  window?: { start: string; end: string };
  /** Host CPU and the top consumers over the steady window, from the step's result.resources. */
  resources?: StepResources;
}

export interface StepResources {
  hostCores: number;
  /** Sustained (p75) busy cores of the host. */
  hostBusyCores: number;
  /** Largest consumers by mean cores (`other`: processes outside the run). */
  top: { id: string; cores: number; rssMb: number | null }[];
}

export interface SustainCriteria {
  /** Achieved / target at or above this (issue default 0.98). */
  minAchievedRatio: number;
  maxErrorRate: number;
  /**
   * Completions must keep up with starts: the backlog may grow by at most this fraction of the
   * starts in the window (absorbs the in-flight work of a rate that is being served).
   */
  maxBacklogGrowthRatio: number;
  /**
   * ...and always by this many seconds of starts: the in-flight count moves with latency from one
   * second to the next, which at low rates is more than the ratio above.
   */
  backlogSlackS: number;
}

export const defaultCriteria: SustainCriteria = { minAchievedRatio: 0.98, maxErrorRate: 0.01, maxBacklogGrowthRatio: 0.05, backlogSlackS: 1 };

export interface StepVerdict {
  sustainable: boolean;
  /** Each reason is a sentence naming the failed condition and its numbers. */
  reasons: string[];
}

/** A rate is sustainable when the generator held it, the server kept up, errors stayed low and the SLO held. */
export function judgeStep(m: StepMeasurement, criteria: SustainCriteria = defaultCriteria): StepVerdict {
  const reasons: string[] = [];
  if (!m.generatorValid) reasons.push('the generator could not hold the rate (invalid step)');
  const ratio = m.targetRps > 0 ? m.achievedRps / m.targetRps : 0;
  if (ratio < criteria.minAchievedRatio) reasons.push(`achieved ${fixed(m.achievedRps, 1)}/s is ${percent(ratio)} of the ${m.targetRps}/s target (needs ${percent(criteria.minAchievedRatio)})`);
  if (m.errorRate > criteria.maxErrorRate) reasons.push(`error rate ${percent(m.errorRate)} is above ${percent(criteria.maxErrorRate)}`);
  const started = m.achievedRps * m.durationS;
  const growth = m.backlogEnd - m.backlogStart;
  if (started > 0 && growth > Math.max(criteria.maxBacklogGrowthRatio * started, criteria.backlogSlackS * m.achievedRps)) {
    reasons.push(`completions fall behind starts: the backlog grew by ${growth} workflows (${fixed(m.completedRps, 1)}/s completed vs ${fixed(m.achievedRps, 1)}/s started)`);
  }
  for (const t of m.thresholds.filter((t) => !t.ok)) reasons.push(`SLO ${t.metric}: ${t.expression} failed (observed ${t.value ?? 'no samples'})`);
  return { sustainable: reasons.length === 0, reasons };
}

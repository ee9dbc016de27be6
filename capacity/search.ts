import { judgeStep, type StepMeasurement, type StepVerdict, type SustainCriteria, defaultCriteria } from './judge.js';

export interface SearchOptions {
  startRps: number;
  maxRps: number;
  /** Each ramp step multiplies the rate by this factor (e.g. 1.5). */
  stepFactor: number;
  /** Bisection stops when (firstBad − lastGood) / lastGood ≤ tolerance. */
  tolerance: number;
  /** Hard bound on the number of steps (and so on the search's run time). */
  maxSteps: number;
  /** An error rate above this stops the search at once (an error storm on a shared cluster). */
  errorStormRate: number;
  criteria: SustainCriteria;
}

export const defaultSearchOptions: SearchOptions = {
  startRps: 10,
  maxRps: 1000,
  stepFactor: 1.5,
  tolerance: 0.1,
  maxSteps: 12,
  errorStormRate: 0.2,
  criteria: defaultCriteria,
};

export interface StepRecord {
  phase: 'ramp' | 'bisect';
  measurement: StepMeasurement;
  verdict: StepVerdict;
}

export interface SearchResult {
  steps: StepRecord[];
  /** Highest rate judged sustainable (undefined when even the start rate failed). */
  maxSustainableRps: number | undefined;
  /** Lowest rate judged unsustainable (undefined when max-rps was sustainable). */
  firstBadRps: number | undefined;
  stoppedBecause: 'converged' | 'max-rps-sustainable' | 'start-rate-unsustainable' | 'error-storm' | 'max-steps' | 'interrupted';
}

const round = (rps: number) => Math.max(1, Math.round(rps));

/**
 * Ramps the rate up by stepFactor until a step is unsustainable (never above maxRps), then bisects
 * between the last good and the first bad rate until the gap is within the tolerance. `runStep` runs
 * one fixed-rate step and returns its measurement; `shouldStop` lets a caller end the search early.
 */
export async function searchCapacity(
  runStep: (rps: number, phase: StepRecord['phase']) => Promise<StepMeasurement>,
  options: SearchOptions,
  onStep: (record: StepRecord) => void = () => undefined,
  shouldStop: () => boolean = () => false,
): Promise<SearchResult> {
  const steps: StepRecord[] = [];
  let lastGood: number | undefined;
  let firstBad: number | undefined;
  const measure = async (rps: number, phase: StepRecord['phase']) => {
    const measurement = await runStep(rps, phase);
    const record = { phase, measurement, verdict: judgeStep(measurement, options.criteria) };
    steps.push(record);
    onStep(record);
    return record;
  };
  const done = (stoppedBecause: SearchResult['stoppedBecause']): SearchResult => ({ steps, maxSustainableRps: lastGood, firstBadRps: firstBad, stoppedBecause });

  let rps = Math.min(round(options.startRps), options.maxRps);
  for (;;) {
    if (shouldStop()) return done('interrupted');
    if (steps.length >= options.maxSteps) return done('max-steps');
    const record = await measure(rps, 'ramp');
    if (record.measurement.errorRate > options.errorStormRate) {
      firstBad = rps;
      return done('error-storm');
    }
    if (!record.verdict.sustainable) {
      firstBad = rps;
      break;
    }
    lastGood = rps;
    if (rps >= options.maxRps) return done('max-rps-sustainable');
    rps = Math.min(options.maxRps, Math.max(rps + 1, round(rps * options.stepFactor)));
  }
  if (lastGood === undefined) return done('start-rate-unsustainable');

  while (firstBad - lastGood > Math.max(1, options.tolerance * lastGood)) {
    if (shouldStop()) return done('interrupted');
    if (steps.length >= options.maxSteps) return done('max-steps');
    const mid = round((lastGood + firstBad) / 2);
    if (mid <= lastGood || mid >= firstBad) break;
    const record = await measure(mid, 'bisect');
    if (record.measurement.errorRate > options.errorStormRate) {
      firstBad = mid;
      return done('error-storm');
    }
    if (record.verdict.sustainable) lastGood = mid;
    else firstBad = mid;
  }
  return done('converged');
}

import { describe, expect, it } from 'vitest';
import type { StepMeasurement } from '../../capacity/judge.js';
import { defaultCriteria, judgeStep } from '../../capacity/judge.js';
import { findKnee } from '../../capacity/knee.js';
import { defaultSearchOptions, searchCapacity } from '../../capacity/search.js';

/** A synthetic server that serves up to `limit`/s and falls behind above it. */
function serverWithLimit(limit: number, errorAbove = Infinity) {
  const calls: number[] = [];
  const runStep = async (rps: number): Promise<StepMeasurement> => {
    calls.push(rps);
    const served = Math.min(rps, limit);
    return {
      targetRps: rps,
      achievedRps: rps,
      completedRps: served,
      backlogStart: 0,
      backlogEnd: Math.round((rps - served) * 30),
      errorRate: rps > errorAbove ? 0.5 : 0,
      e2eP50Ms: 20,
      e2eP99Ms: rps > limit ? 5000 : 40 + rps / 10,
      startP99Ms: 5,
      thresholds: [],
      generatorValid: true,
      durationS: 30,
    };
  };
  return { runStep, calls };
}

describe('judgeStep', () => {
  const good: StepMeasurement = { targetRps: 100, achievedRps: 99, completedRps: 99, backlogStart: 10, backlogEnd: 12, errorRate: 0, e2eP50Ms: 10, e2eP99Ms: 50, startP99Ms: 5, thresholds: [], generatorValid: true, durationS: 30 };

  it('passes a step that holds the rate and keeps up', () => {
    expect(judgeStep(good)).toEqual({ sustainable: true, reasons: [] });
  });

  it.each([
    ['achieved below 98%', { achievedRps: 90 }, /achieved 90.0\/s/],
    ['errors above the limit', { errorRate: 0.05 }, /error rate 5.0%/],
    ['a growing backlog', { backlogEnd: 1000, completedRps: 70 }, /completions fall behind/],
    ['a failed SLO', { thresholds: [{ metric: 'workflow_e2e', expression: 'p(99)<2000', ok: false, value: 2500 }] }, /SLO workflow_e2e/],
    ['an invalid generator', { generatorValid: false }, /generator could not hold/],
  ])('fails on %s', (_name, change, reason) => {
    const verdict = judgeStep({ ...good, ...change }, defaultCriteria);
    expect(verdict.sustainable).toBe(false);
    expect(verdict.reasons.join(' ')).toMatch(reason);
  });
});

describe('searchCapacity', () => {
  it('finds a limit of 40/s within the tolerance, never above max-rps', async () => {
    const server = serverWithLimit(40);
    const result = await searchCapacity(server.runStep, { ...defaultSearchOptions, startRps: 10, maxRps: 200, tolerance: 0.1 });
    expect(result.stoppedBecause).toBe('converged');
    expect(result.maxSustainableRps).toBeGreaterThanOrEqual(36);
    expect(result.maxSustainableRps).toBeLessThanOrEqual(40);
    expect(result.firstBadRps! - result.maxSustainableRps!).toBeLessThanOrEqual(Math.max(1, 0.1 * result.maxSustainableRps!));
    expect(Math.max(...server.calls)).toBeLessThanOrEqual(200);
  });

  it('stops at max-rps when everything is sustainable', async () => {
    const server = serverWithLimit(10_000);
    const result = await searchCapacity(server.runStep, { ...defaultSearchOptions, startRps: 10, maxRps: 50 });
    expect(result.stoppedBecause).toBe('max-rps-sustainable');
    expect(result.maxSustainableRps).toBe(50);
    expect(Math.max(...server.calls)).toBe(50);
  });

  it('stops early on an error storm', async () => {
    const server = serverWithLimit(10_000, 30);
    const result = await searchCapacity(server.runStep, { ...defaultSearchOptions, startRps: 10, maxRps: 500 });
    expect(result.stoppedBecause).toBe('error-storm');
    expect(server.calls.at(-1)).toBeGreaterThan(30);
  });

  it('bounds the number of steps', async () => {
    const server = serverWithLimit(333);
    const result = await searchCapacity(server.runStep, { ...defaultSearchOptions, startRps: 1, maxRps: 10_000, tolerance: 0.001, maxSteps: 5 });
    expect(result.steps).toHaveLength(5);
    expect(result.stoppedBecause).toBe('max-steps');
  });
});

describe('findKnee', () => {
  it('finds the point where the curve bends most (Kneedle)', () => {
    const knee = findKnee([
      { rps: 10, p50Ms: 5, p99Ms: 20 },
      { rps: 20, p50Ms: 5, p99Ms: 22 },
      { rps: 40, p50Ms: 6, p99Ms: 25 },
      { rps: 60, p50Ms: 9, p99Ms: 400 },
      { rps: 80, p50Ms: 50, p99Ms: 3000 },
    ]);
    expect(knee?.rps).toBe(60);
  });

  it('has no knee with fewer than three points or a flat curve', () => {
    expect(
      findKnee([
        { rps: 1, p50Ms: 1, p99Ms: 1 },
        { rps: 2, p50Ms: 1, p99Ms: 2 },
      ]),
    ).toBeUndefined();
    expect(findKnee([1, 2, 3].map((rps) => ({ rps, p50Ms: 1, p99Ms: 5 })))).toBeUndefined();
  });
});

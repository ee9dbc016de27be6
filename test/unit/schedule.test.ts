import { describe, expect, it } from 'vitest';
import { arrivalsBefore, integral, intendedTime, profileOf, targetCount, targetInInterval } from '../../schedule/schedule.js';

describe('open-model schedule', () => {
  it('constant rate: arrival n is intended at n / rate, and the count is the integral', () => {
    const p = profileOf({ executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '20s' });
    expect(p.totalArrivals).toBe(400);
    for (const n of [0, 1, 19, 20, 199, 399]) expect(intendedTime(p, n)).toBeCloseTo(n / 20, 9);
    expect(targetCount(p, 0)).toBe(1);
    expect(targetCount(p, 0.049)).toBe(1);
    expect(targetCount(p, 0.05)).toBe(2);
    expect(targetCount(p, 100)).toBe(400);
    for (let k = 0; k < 20; k++) expect(targetInInterval(p, k)).toBe(20);
  });

  it('timeUnit scales the rate (k6: rate per timeUnit)', () => {
    const p = profileOf({ executor: 'constant-arrival-rate', rate: 30, timeUnit: '1m', duration: '2m' });
    expect(p.totalArrivals).toBe(60);
    expect(intendedTime(p, 1)).toBeCloseTo(2, 9);
  });

  it('ramping: intended times invert the piecewise-linear integral of the rate', () => {
    const p = profileOf({
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      stages: [
        { target: 100, duration: '10s' },
        { target: 100, duration: '5s' },
        { target: 20, duration: '5s' },
      ],
    });
    // ∫ over the ramp 0→100 in 10 s = 500; hold 5 s = 500; ramp down 100→20 in 5 s = 300.
    expect(integral(p, 10)).toBeCloseTo(500, 9);
    expect(integral(p, 15)).toBeCloseTo(1000, 9);
    expect(integral(p, 20)).toBeCloseTo(1300, 9);
    expect(p.totalArrivals).toBe(1300);
    let previous = -1;
    for (let n = 0; n < p.totalArrivals; n++) {
      const t = intendedTime(p, n);
      expect(t).toBeGreaterThan(previous);
      expect(integral(p, t)).toBeCloseTo(n, 6);
      previous = t;
    }
    // On the first ramp C(t) = 5 t², so arrival n is at sqrt(n / 5).
    expect(intendedTime(p, 125)).toBeCloseTo(5, 9);
    // Per-interval targets add up to the total and follow the rate.
    let sum = 0;
    for (let k = 0; k < 20; k++) sum += targetInInterval(p, k);
    expect(sum).toBe(1300);
    expect(targetInInterval(p, 12)).toBe(100);
    expect(arrivalsBefore(p, 20)).toBe(1300);
  });

  it('rejects bad executors', () => {
    expect(() => profileOf({ executor: 'constant-arrival-rate', rate: 0, duration: '10s' })).toThrow(/rate must be > 0/);
    expect(() => profileOf({ executor: 'constant-arrival-rate', rate: 5, duration: 'ten' })).toThrow(/duration/);
    expect(() => profileOf({ executor: 'ramping-arrival-rate', stages: [] })).toThrow(/at least one stage/);
  });
});

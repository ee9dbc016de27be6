import { describe, expect, it } from 'vitest';
import { backlogTrend, measurementFromResult } from '../../capacity/step-runner.js';
import type { IntervalRecord, Phase, ResultFile } from '../../recorder/result-schema.js';

/**
 * A capacity step is a `bench run`: its figures come from result.json, where a workflow counts in the
 * second it was meant to start however late it finished. This step started 10/s for 10 s of steady;
 * from t=5 s every workflow took 8 s, so half of them finished after the steady window, in the drain.
 */
function stepResult(): ResultFile {
  const timeline: IntervalRecord[] = [];
  const finishedAt = new Map<number, number>();
  for (let t = 0; t < 10; t++) finishedAt.set(t < 5 ? t + 1 : t + 8, (finishedAt.get(t < 5 ? t + 1 : t + 8) ?? 0) + 10);
  for (let t = 0; t < 20; t++) {
    const phase: Phase = t < 10 ? 'steady' : 'drain';
    const meant = t < 10 ? 10 : 0;
    timeline.push({
      t,
      durationS: 1,
      phase,
      target: meant,
      sent: meant,
      started: meant,
      completed: meant,
      failed: 0,
      finished: finishedAt.get(t) ?? 0,
      dropped: 0,
      errors: {},
      inFlight: 0,
      latencyMs: {},
      generator: { eventLoopDelayP99Ms: 1, cpuPercent: 1, rssMb: 1 },
    });
  }
  const e2e = { count: 100, mean: 4500, p50: 1000, p90: 8000, p99: 8000, p999: 8000, max: 8000 };
  return {
    timeline,
    summary: { achievedRate: 10, sentStarts: 100, dropped: 0, errors: 0, invalidReasons: [], thresholds: [], latencyMs: { e2e, start: e2e } },
  } as unknown as ResultFile;
}

describe('a capacity step includes the workflows it started that completed after it', () => {
  it('completions and end-to-end figures count every workflow meant in the step; the backlog uses when they finished', () => {
    const m = measurementFromResult(stepResult(), 10, '/tmp/step');
    // All 100 workflows started in the step are in its completion rate and its e2e percentiles...
    expect(m.completedRps).toBe(10);
    expect(m.e2eP99Ms).toBe(8000);
    // ...while the backlog, by when they finished, rises over the window's second half (50 still running
    // at its end; its trend line over the whole window grows by 41). By meant-start second it would be flat.
    expect(m.backlogEnd - m.backlogStart).toBe(41);
  });
});

/** One steady second at `rate` starts/s whose completions land in `finished[t]`. */
function seconds(rate: number, finished: number[]): IntervalRecord[] {
  return finished.map((f, t) => ({ t, durationS: 1, phase: 'steady', started: rate, finished: f, completed: rate, failed: 0 }) as unknown as IntervalRecord);
}

describe('backlog growth is the trend over the window, not the difference of two instants', () => {
  it('a served rate released in bursts (8/s started, 24 completing every third second) does not grow', () => {
    const timeline = seconds(8, [0, 0, 24, 0, 0, 24, 0, 0, 24, 0, 0, 24, 0, 0]);
    const window = timeline.slice(3);
    // Between the window's two ends (after t=2: 0 in flight; after t=13: 16) the instants say 16, two
    // seconds of starts; the trend stays under the judge's slack of one second of starts.
    const inFlight = (t: number) => timeline.filter((r) => r.t < t).reduce((n, r) => n + r.started - (r.finished ?? 0), 0);
    expect(inFlight(14) - inFlight(3)).toBe(16);
    const b = backlogTrend(timeline, window);
    expect(Math.abs(b.end - b.start)).toBeLessThan(8);
  });

  it('a rate that is not served grows by its shortfall times the window', () => {
    const timeline = seconds(
      10,
      Array.from({ length: 13 }, () => 7),
    );
    const b = backlogTrend(timeline, timeline.slice(1));
    expect(b.end - b.start).toBe(36);
  });
});

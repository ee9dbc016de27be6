import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogram, recordMs } from '../../metrics/histogram.js';
import type { GeneratorHealth, IntervalSnapshot } from '../../generator/interval-recorder.js';
import { LiveView } from '../../runner/outputs/live-view.js';
import { Timeline, type E2EInterval } from '../../recorder/timeline.js';

const health: GeneratorHealth = { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 1, cpuPercent: 1, rssMb: 1 };
const t0 = Date.UTC(2026, 10, 27, 12);

const snapshot = (index: number): IntervalSnapshot => ({ index, counts: { sent: 1, started: 1 }, samplesUs: { start: Uint32Array.of(1000) }, pending: 0, atS: index + 1, first: { inFlight: 0, queued: 0, health } });

function e2e(second: number, ms: number[], seq = second + 1): E2EInterval {
  const h = newHistogram();
  for (const v of ms) recordMs(h, v);
  return { seq, startMs: t0 + second * 1000, endMs: t0 + (second + 1) * 1000, reportedUntilMs: t0 + (second + 1) * 1000, histogram: encodeHistogram(h), completed: ms.length, failed: 0, canceled: 0 };
}

describe("timeline: workers' end-to-end intervals", () => {
  it('a late interval for an already folded second updates its record and the totals exactly', () => {
    const timeline = new Timeline(t0, 1, undefined, 120, 0, 0);
    for (let i = 0; i < 100; i++) {
      timeline.addSnapshot(0, snapshot(i));
      timeline.addE2E([e2e(i, [50])]);
    }
    // Second 10 was folded long ago; another worker's interval for it arrives now.
    timeline.addE2E([e2e(10, [400, 400, 400], 1)]);
    const record = timeline.records()[10]!;
    expect(record.completed).toBe(4);
    expect(record.latencyMs.e2e!.count).toBe(4);
    expect(record.latencyMs.e2e!.max).toBeCloseTo(400, -1);
    const totals = timeline.totals(['steady']);
    expect(totals.completed).toBe(103);
    expect(totals.histograms.get('e2e')!.totalCount).toBe(103);
  });

  it('keeps no live histogram for folded seconds, so a soak does not grow ~90 KB per second', () => {
    const timeline = new Timeline(t0, 1, undefined, 4000, 0, 0);
    for (let i = 0; i < 3600; i++) {
      timeline.addSnapshot(0, snapshot(i));
      timeline.addE2E([e2e(i, [50, 60])]);
    }
    // Internal state, checked directly: only the newest few (unfolded) seconds may hold live histograms.
    const slots = (timeline as unknown as { slots: Map<number, { e2e?: unknown; histograms?: unknown }> }).slots;
    const live = [...slots.values()].filter((s) => s.e2e !== undefined || s.histograms !== undefined).length;
    expect(live).toBeLessThan(10);
    expect(timeline.records()[1000]!.latencyMs.e2e!.count).toBe(2);
    expect(timeline.totals(['steady']).histograms.get('e2e')!.totalCount).toBe(7200);
  });

  it('the live line takes end-to-end figures from the newest interval the workers reported on', () => {
    const timeline = new Timeline(t0, 1, undefined, 60, 0, 0);
    for (let i = 0; i < 10; i++) timeline.addSnapshot(0, snapshot(i));
    timeline.addE2E([0, 1, 2, 3, 4, 5, 6, 7].map((i) => e2e(i, [50, 60])));
    // Generators are at second 9; the workers' report for seconds 8 and 9 is still on its way.
    const line = LiveView.line(timeline.latestComplete()!, '', timeline.latestWithE2E());
    expect(line).toMatch(/^t=9s /);
    expect(line).toContain('done 2/s (t=7s)');
    expect(line).toMatch(/e2e p50\/p99 5\d\/6\d ms/);
    timeline.addE2E([e2e(8, []), e2e(9, [])]);
    // Once reported, an interval with no completions says so.
    expect(LiveView.line(timeline.latestComplete()!, '', timeline.latestWithE2E())).toContain('e2e p50/p99 -/- ms | done 0/s |');
  });
});

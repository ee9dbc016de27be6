import { afterEach, describe, expect, it, vi } from 'vitest';
import { newHistogram, summarize, type Histogram } from '../../metrics/histogram.js';
import { Dispatcher, timeoutAtDrain, type Starter } from '../../generator/dispatcher.js';
import { IntervalRecorder, toUs, type GeneratorHealth } from '../../generator/interval-recorder.js';
import { OpenModel } from '../../generator/open-model.js';
import { profileOf } from '../../schedule/schedule.js';
import { Timeline } from '../../recorder/timeline.js';
import { WorkloadMix, type ResolvedEntry } from '../../schedule/workload.js';

const health: GeneratorHealth = { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, cpuPercent: 0, rssMb: 0 };
const entry: ResolvedEntry = { tag: 'noop', kind: 'noop', workflowType: 'noopWorkflow', args: [], weight: 1, interactions: [] };
const rate = 20;
const durationS = 30;
const warmupS = 5;
const cooldownS = 5;

/** The server under test: every start takes 50 ms plus 100 ms per second of run time (3 s at the end). */
const latencyAtMs = (sinceT0Ms: number) => 50 + (100 * sinceT0Ms) / 1000;

function histogramOf(samplesMs: number[]): Histogram {
  const h = newHistogram();
  for (const ms of samplesMs) h.recordValue(toUs(ms));
  return h;
}

/**
 * One generator's open model against a fake start call on a fake clock, its snapshots fed to the
 * coordinator's timeline as a run does (every 100 ms, then everything after the drain).
 */
async function simulate(drainTimeoutMs: number) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  const t0Perf = performance.now() + 1000;
  const recorder = new IntervalRecorder(t0Perf);
  const starter: Starter = {
    start: () => new Promise((resolve) => setTimeout(resolve, latencyAtMs(performance.now() - t0Perf))),
    interact: async () => undefined,
    result: async () => undefined,
  };
  const dispatcher = new Dispatcher('attr', starter, recorder, 60_000);
  const profile = profileOf({ executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: `${durationS}s`, preAllocatedVUs: 100000, maxVUs: 100000 });
  const model = new OpenModel({ profile, shard: 0, shards: 1, t0Perf, inFlightCap: 100000, overflow: 'drop' }, dispatcher, new WorkloadMix([entry]), recorder);
  const timeline = new Timeline(performance.timeOrigin + t0Perf, 1, profile, durationS, warmupS, cooldownS);
  const feed = (all = false) => {
    for (const s of recorder.take(performance.now(), dispatcher.inFlight, model.queued, health, model.issuedUntilPerf, all)) timeline.addSnapshot(0, s);
  };
  const watch = setInterval(feed, 100);
  setTimeout(() => model.start(), 1000);
  await vi.advanceTimersByTimeAsync(1000 + durationS * 1000);
  const drained = dispatcher.idle(drainTimeoutMs);
  await vi.advanceTimersByTimeAsync(drainTimeoutMs);
  await drained;
  dispatcher.censorOpenCalls();
  clearInterval(watch);
  feed(true);
  return { timeline, t0Perf };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('outcomes are attributed to the interval of their intended time', () => {
  it('steady p99 is the p99 of every call intended in the steady window, not of those that completed in it', async () => {
    const { timeline } = await simulate(10_000);
    // Independently: arrival n is meant at n / rate seconds and answers after latencyAtMs of that time.
    const arrivals = Array.from({ length: rate * durationS }, (_, n) => ({ t: n / rate, latency: latencyAtMs((n / rate) * 1000) }));
    const steadyEnd = durationS - cooldownS;
    const intendedInSteady = arrivals.filter((a) => a.t >= warmupS && a.t < steadyEnd);
    const completedInSteady = arrivals.filter((a) => a.t + a.latency / 1000 >= warmupS && a.t + a.latency / 1000 < steadyEnd);
    const expected = summarize(histogramOf(intendedInSteady.map((a) => a.latency)));
    const byCompletion = summarize(histogramOf(completedInSteady.map((a) => a.latency)));

    const steady = timeline.totals(['steady']);
    const start = summarize(steady.histograms.get('start')!);
    expect(steady.counts.started).toBe(intendedInSteady.length);
    expect(start.count).toBe(intendedInSteady.length);
    expect(start.p99).toBe(expected.p99);
    expect(start.max).toBe(expected.max);
    // What attributing by completion second would have reported: the slowest steady calls are gone.
    expect(byCompletion.p99).toBeLessThan(expected.p99 - 200);
    expect(start.p99).not.toBe(byCompletion.p99);
    // The steady window's slowest answers came after it ended, and are counted as such.
    const late = timeline.totals(['steady'], false).counts.lateOutcomes ?? 0;
    expect(late).toBeGreaterThan(0);
    expect(late).toBe(intendedInSteady.filter((a) => a.t + a.latency / 1000 > steadyEnd).length);
  });

  it('calls still open at the drain timeout are errors with their latency censored at the time waited', async () => {
    // 1 s of drain: the last second's calls (2.9-3 s latency) cannot all answer in time.
    const { timeline } = await simulate(1000);
    const all = timeline.totals(['warmup', 'steady', 'cooldown', 'drain']);
    const censored = all.counts.censored ?? 0;
    expect(censored).toBeGreaterThan(0);
    expect(all.counts[`errors{code:${timeoutAtDrain}}`]).toBe(censored);
    // Every intended start has exactly one outcome: started, or an error.
    expect((all.counts.started ?? 0) + (all.counts.errors ?? 0)).toBe(rate * durationS);
    expect(all.counts.outcomes).toBe(rate * durationS);
    // Censored latencies are in the histogram, at least the time waited (> 1 s here).
    expect(all.histograms.get('start')!.totalCount).toBe(rate * durationS);
    const cooldown = summarize(timeline.totals(['cooldown']).histograms.get('start')!);
    expect(cooldown.max).toBeGreaterThan(1000);
    // The censored calls' intervals are final all the same: the timeline covers every second.
    expect(
      timeline
        .records()
        .filter((r) => r.t < durationS)
        .every((r) => r.sent === rate),
    ).toBe(true);
  });
});

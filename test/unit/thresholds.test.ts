import { describe, expect, it } from 'vitest';
import { newHistogram, recordMs } from '../../metrics/histogram.js';
import { parseDurationMs } from '../../scenarios/duration.js';
import type { Availability } from '../../recorder/result-schema.js';
import { availabilityThresholdData, evaluateThresholds, parseThreshold, parseThresholdFlags, parseThresholds, type ThresholdData } from '../../recorder/thresholds.js';

const parse = (record: Parameters<typeof parseThresholds>[0]) => parseThresholds(record, (s) => parseDurationMs(s));

function data(): ThresholdData {
  const start = newHistogram();
  for (let i = 1; i <= 100; i++) recordMs(start, i); // 1..100 ms
  const chain = newHistogram();
  for (let i = 1; i <= 10; i++) recordMs(chain, i * 100); // 100..1000 ms
  return {
    trends: { start, 'start{kind:chain}': chain },
    rates: { errors: { hits: 5, total: 1000 }, 'errors{code:UNAVAILABLE}': { hits: 4, total: 1000 } },
    counters: { starts: { count: 1000, durationS: 10 } },
  };
}

describe('threshold parser', () => {
  it('parses k6 expressions, tags and objects', () => {
    const t = parseThreshold('start_latency{kind:chain}', { threshold: 'p(99.9) <= 250', abortOnFail: true, delayAbortEval: '10s' }, (s) => parseDurationMs(s));
    expect(t).toMatchObject({ key: 'start{kind:chain}', aggregation: 'p', percentile: 99.9, op: '<=', value: 250, abortOnFail: true, delayAbortEvalMs: 10_000 });
    expect(parse({ errors: ['rate<0.01'], starts: ['count>100', 'rate>=50'] }).map((x) => x.key)).toEqual(['errors', 'starts', 'starts']);
    expect(parseThresholdFlags(['start_latency=p(99)<500', 'errors=rate<0.01'])).toEqual({ start_latency: ['p(99)<500'], errors: ['rate<0.01'] });
  });

  it.each([
    [{ nope: ['p(99)<1'] }, /unknown/],
    [{ start_latency: ['p99<1'] }, /expected e.g./],
    [{ start_latency: ['p(99)<'] }, /expected e.g./],
    [{ start_latency: ['rate<0.1'] }, /trend metric/],
    [{ errors: ['p(99)<5'] }, /rate metric/],
    [{ start_latency: ['p(101)<5'] }, /percentile/],
    [{ 'start_latency{kind}': ['p(99)<5'] }, /bad tag filter/],
    [{ 'workflow_e2e{kind:noop}': ['p(99)<5'] }, /has no tag/],
    [{ start_latency: ['p(99)<5 and more'] }, /expected e.g./],
    [{ start_latency: [42 as unknown as string] }, /expected a string/],
    [{ unavailable_seconds: ['max<10'] }, /gauge; use value/],
    [{ recovery_time: ['value<10'] }, /gauge; use max/],
    [{ recovery_time: ['p(99)<10'] }, /gauge; use max/],
    [{ 'unavailable_seconds{kind:chain}': ['value<10'] }, /has no tag/],
    [{ unavailable_seconds: [{ threshold: 'value<10', abortOnFail: true }] }, /abortOnFail is not supported/],
    [{ recovery_seconds: ['max<10'] }, /unknown/],
  ])('rejects %j', (record, message) => {
    expect(() => parse(record)).toThrow(message);
  });

  it('rejects a non-object thresholds block and bad flags', () => {
    expect(() => parse(['p(99)<5'] as unknown as Record<string, string[]>)).toThrow(/must be an object/);
    expect(() => parseThresholdFlags(['p(99)<5'])).toThrow(/metric=expression/);
  });
});

describe('threshold evaluator', () => {
  it('evaluates trends, tagged sub-metrics, rates and counters', () => {
    const results = evaluateThresholds(
      parse({
        start_latency: ['p(50)<60', 'p(99)<50', 'avg<51', 'max>=100', 'med<50.1'],
        'start_latency{kind:chain}': ['p(90)<=901'],
        errors: ['rate<0.01', 'rate<0.001'],
        'errors{code:UNAVAILABLE}': ['rate<0.005'],
        starts: ['count>999', 'rate==100'],
      }),
      data(),
    );
    expect(results.map((r) => [r.expression, r.ok])).toEqual([
      ['p(50)<60', true],
      ['p(99)<50', false],
      ['avg<51', true],
      ['max>=100', true],
      ['med<50.1', true],
      ['p(90)<=901', true],
      ['rate<0.01', true],
      ['rate<0.001', false],
      ['rate<0.005', true],
      ['count>999', true],
      ['rate==100', true],
    ]);
    expect(results[1]!.value).toBeCloseTo(99, 1);
  });

  it('fails a threshold whose metric has no samples', () => {
    const [r] = evaluateThresholds(parse({ signal_latency: ['p(99)<100'] }), data());
    expect(r).toMatchObject({ ok: false, value: null });
  });
});

describe('availability thresholds', () => {
  const availability = (over: Partial<Availability>): Availability => ({
    windows: [],
    unavailableSeconds: 0,
    faults: [],
    failedStarts: 0,
    failedStartsByCode: {},
    startedAnswerLost: 0,
    delayedWorkflows: 0,
    lostWork: 0,
    ...over,
  });
  const outage = (fault: number, recoveryS: number | null) => ({ fault, impact: 'outage' as const, firstErrorAfterS: 0, recoveryS });
  const quiet = (fault: number) => ({ fault, impact: 'no visible impact' as const, firstErrorAfterS: null, recoveryS: null });
  const run = (av: Availability | undefined, withGauges = true) =>
    evaluateThresholds(parse({ unavailable_seconds: ['value<10'], recovery_time: ['max<30000'] }), { ...data(), ...(withGauges ? availabilityThresholdData(av) : {}) }).map((r) => [r.ok, r.value]);

  it('parses unavailable_seconds (value) and recovery_time (max) as gauges keyed by their own names', () => {
    expect(parse({ unavailable_seconds: ['value<10'], recovery_time: ['max<=30000'] }).map((t) => [t.key, t.type, t.aggregation, t.op, t.value])).toEqual([
      ['unavailable_seconds', 'gauge', 'value', '<', 10],
      ['recovery_time', 'gauge', 'max', '<=', 30000],
    ]);
    expect(parseThresholdFlags(['recovery_time=max<30000'])).toEqual({ recovery_time: ['max<30000'] });
  });

  it('takes the unavailable seconds and the longest recovery over faults with an outage, in ms', () => {
    const av = availability({ unavailableSeconds: 12, faults: [outage(0, 4.25), quiet(1), outage(2, 31)] });
    expect(availabilityThresholdData(av)).toEqual({ gauges: { unavailable_seconds: { value: 12 }, recovery_time: { max: 31000 } } });
    expect(run(av)).toEqual([
      [false, 12],
      [false, 31000],
    ]);
    expect(run(availability({ unavailableSeconds: 3, faults: [outage(0, 4.25)] }))).toEqual([
      [true, 3],
      [true, 4250],
    ]);
  });

  it('passes recovery_time at 0 when faults ran and none caused an outage', () => {
    expect(run(availability({ faults: [quiet(0)] }))).toEqual([
      [true, 0],
      [true, 0],
    ]);
  });

  it('fails recovery_time with no value, like a metric with no samples, when nothing shows a recovery', () => {
    expect(run(availability({ unavailableSeconds: 20, faults: [outage(0, null)] }))).toEqual([
      [false, 20],
      [false, null],
    ]); // never ended
    expect(run(availability({}))).toEqual([
      [true, 0],
      [false, null],
    ]); // no faults ran
  });

  it('without availability data: unavailable_seconds is 0, recovery_time has no value', () => {
    expect(availabilityThresholdData(undefined)).toEqual({ gauges: { unavailable_seconds: { value: 0 }, recovery_time: { max: null } } });
    expect(run(undefined)).toEqual([
      [true, 0],
      [false, null],
    ]);
    expect(run(undefined, false)).toEqual([
      [true, 0],
      [false, null],
    ]); // ThresholdData without gauges at all
  });
});

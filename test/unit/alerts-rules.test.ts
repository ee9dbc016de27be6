import { describe, expect, it } from 'vitest';
import type { CapacityReport } from '../../capacity/run-capacity.js';
import { fromCapacity, fromRun, SCHEDULE_TO_START_GUIDANCE_MS } from '../../monitoring/measured.js';
import { prometheusRule, promtoolTests } from '../../monitoring/alert-files.js';
import { alertRules, defaultAlertOptions } from '../../monitoring/alert-rules.js';
import { fixtureResult } from '../helpers/report-fixtures.js';

/** A search that held 40/s and failed at 50/s, judged by an e2e SLO; its steps left no result files. */
function capacity(max: number | null): CapacityReport {
  const step = (rps: number, sustainable: boolean) => ({ index: 0, phase: 'ramp' as const, measurement: { targetRps: rps } as never, verdict: { sustainable, reasons: [] } as never });
  return {
    capacityId: 'cap2612021700-ab12',
    namespace: 'bench',
    slo: ['workflow_e2e=p(99)<2000'],
    maxSustainableRps: max,
    firstBadRps: 50,
    knee: null,
    steps: [step(40, true), step(50, false)],
  } as unknown as CapacityReport;
}

describe('alerts from a measurement', () => {
  it('a capacity search: start rate above 80% of the sustainable rate, the e2e SLO, the guidance for schedule-to-start', () => {
    const m = fromCapacity(capacity(40));
    const { rules, skipped } = alertRules(m, defaultAlertOptions);
    const byName = new Map(rules.map((r) => [r.alert, r]));
    expect(byName.get('TemporalStartRateNearCapacity')!.expr).toMatch(/operation=~"StartWorkflowExecution\|SignalWithStartWorkflowExecution"\}\[5m\]\)\) > 32$/);
    expect(byName.get('TemporalStartRateNearCapacity')!.annotations).toMatchObject({ measured_value: '40', measured_by: 'temporal-bench capacity cap2612021700-ab12' });
    expect(byName.get('TemporalWorkflowEndToEndHigh')!.expr).toMatch(/> 2000$/);
    expect(byName.get('TemporalScheduleToStartHigh')!.expr).toMatch(new RegExp(`\\* 1000 > ${SCHEDULE_TO_START_GUIDANCE_MS}$`));
    expect(byName.get('TemporalScheduleToStartHigh')!.annotations.description).toMatch(/Temporal's guidance/);
    // No server snapshot at the knee: the persistence-latency alert is not set, and says why.
    expect(skipped).toEqual([{ alert: 'TemporalPersistenceLatencyHigh', why: expect.stringMatching(/not measured/) }]);
    for (const r of rules) expect(r.for).toBe('5m');
  });

  it('no sustainable rate, or a run that failed its thresholds: no start-rate alert, with the reason', () => {
    expect(alertRules(fromCapacity(capacity(null))).skipped.map((s) => s.alert)).toContain('TemporalStartRateNearCapacity');
    const failed = fixtureResult();
    failed.summary.thresholds = [{ metric: 'workflow_e2e', expression: 'p(99)<500', ok: false, value: 900 }];
    const m = fromRun(failed, '/nonexistent');
    expect(m.sustainableRps).toBeNull();
    expect(m.e2eP99SloMs?.value).toBe(500);
  });

  it('writes a PrometheusRule with every rule, and a promtool test per rule that fires and per rule that stays quiet', () => {
    const m = fromCapacity(capacity(40));
    const { rules, skipped } = alertRules(m, { for: '1m', rateWindow: '2m', rateShare: 0.7 });
    const yaml = prometheusRule(m, rules, skipped, { for: '1m', rateWindow: '2m', rateShare: 0.7 }, { name: 'tb', namespace: 'monitoring', labels: { release: 'prometheus' } });
    expect(yaml).toMatch(/^# Not set: TemporalPersistenceLatencyHigh: /m);
    expect(yaml).toContain('namespace: "monitoring"');
    expect(yaml.match(/^ {8}- alert: "/gm)).toHaveLength(rules.length);
    expect(yaml).toContain('> 28"');
    const tests = promtoolTests(rules, { for: '1m', rateWindow: '2m', rateShare: 0.7 });
    expect(tests.match(/^ {2}- name: ".* fires"$/gm)).toHaveLength(rules.length);
    expect(tests.match(/^ {2}- name: ".* stays quiet"$/gm)).toHaveLength(rules.length);
  });
});

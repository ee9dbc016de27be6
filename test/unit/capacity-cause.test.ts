import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { causeOf } from '../../capacity/cause.js';
import type { StepMeasurement } from '../../capacity/judge.js';
import { capacityHtml, capacityMarkdown } from '../../capacity/render.js';
import { runCapacity, type CapacityPlan } from '../../capacity/run-capacity.js';
import { defaultSearchOptions } from '../../capacity/search.js';
import { runStep, stepResources } from '../../capacity/step-runner.js';
import type { ResultFile } from '../../recorder/result-schema.js';
import { fixtureResult, fixtureServer, series, writeResultsDir } from '../helpers/report-fixtures.js';
import { saturatedBy, withResources } from '../helpers/resource-fixtures.js';

vi.mock('../../capacity/step-runner.js', async (original) => ({ ...(await original<typeof import('../../capacity/step-runner.js')>()), runStep: vi.fn() }));

const quiet = () =>
  withResources(fixtureResult(), { cores: 2, busy: 1.2 }, [
    { id: 'history-0', kind: 'temporal', services: ['history'], cores: 0.5 },
    { id: 'bench-worker-0', kind: 'worker', cores: 0.3 },
  ]);

describe('the limiting factor is never null once a step failed', () => {
  it('no rule matched: "unexplained", the closest candidates by how near their limit, and the missing data', () => {
    const server = fixtureServer({ task_schedule_to_start_p99: [series({ task_type: 'Activity' }, 150)] });
    const cause = causeOf({ result: quiet(), server }, 'http://prom.test');
    expect(cause.rule).toBe('unexplained');
    expect(cause.title).toMatch(/no rule matched/);
    const metrics = cause.evidence.map((e) => e.metric);
    // 1.2 of the 1.8-core limit (0.67) and schedule-to-start 150 of 200 ms (0.75): the latter is closer.
    expect(metrics.indexOf('task_schedule_to_start_latency p99')).toBeLessThan(metrics.indexOf('host CPU busy (/proc/stat), p75'));
    expect(cause.evidence.find((e) => e.metric.startsWith('host CPU'))).toMatchObject({ observed: 1.2, limit: 1.8, unit: 'cores' });
    expect(cause.evidence.find((e) => e.metric.startsWith('worker process'))).toMatchObject({ where: 'bench-worker-0', observed: 0.3, limit: 0.9 });
    expect(cause.missingData).toEqual([expect.stringMatching(/^no cAdvisor/), expect.stringMatching(/^no worker SDK metrics/)]);
  });

  it('names "no Prometheus" and "no resource samples" when they were not there', () => {
    const cause = causeOf({ result: fixtureResult() }, undefined);
    expect(cause.rule).toBe('unexplained');
    expect(cause.missingData).toEqual([expect.stringMatching(/^no Prometheus/), expect.stringMatching(/^no process resource samples/)]);
  });

  it('a configured limit the server reports is the cause even when the generator ran late on a saturated host', () => {
    const result = saturatedBy(
      [
        { id: 'history-0', kind: 'temporal', services: ['history'], cores: 0.8 },
        { id: 'generator-0', kind: 'generator', cores: 0.6 },
      ],
      1.95,
      fixtureResult({ valid: false, invalidReasons: ['scheduling-lag p99 80 ms > 25 ms'] }),
    );
    const server = fixtureServer({ resource_exhausted: [series({ service_name: 'frontend', resource_exhausted_cause: 'RpsLimit' }, 4)] });
    expect(causeOf({ result, server }, 'http://prom.test').rule).toBe('frontend-rps-limit');
    // Without it, the saturated host explains the late generator.
    expect(causeOf({ result, server: fixtureServer({}) }, 'http://prom.test').rule).toBe('host-cpu-saturated');
  });

  it('a rule that fires is the cause, with the missing data still listed', () => {
    const cause = causeOf({ result: saturatedBy([{ id: 'history-0', kind: 'temporal', services: ['history'], cores: 1.2 }]) }, undefined);
    expect(cause.rule).toBe('temporal-service-cpu');
    expect(cause.missingData?.[0]).toMatch(/^no Prometheus/);
  });
});

function measurement(rps: number, dir: string, o: Partial<StepMeasurement> = {}): StepMeasurement {
  return {
    targetRps: rps,
    achievedRps: rps,
    completedRps: rps,
    backlogStart: 0,
    backlogEnd: 0,
    errorRate: 0,
    e2eP50Ms: 100,
    e2eP99Ms: 400,
    startP99Ms: 20,
    thresholds: [],
    generatorValid: true,
    durationS: 20,
    resultDir: dir,
    ...o,
  };
}

describe('runCapacity keeps every step and names the cause at the first bad one', () => {
  const out = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tb-cap-'));
  const plan = (dir: string): CapacityPlan => ({
    settings: {
      connection: { address: '127.0.0.1:7233', namespace: 'bench' } as CapacityPlan['settings']['connection'],
      scenario: 'baseline',
      stepDurationS: 20,
      settleS: 5,
      slo: ['workflow_e2e=p(99)<2000'],
      workers: 1,
      drainTimeout: '10s',
      maxRps: 15,
      allowProduction: false,
      outDir: dir,
      capacityId: 'cap-test',
    },
    search: { ...defaultSearchOptions, startRps: 10, maxRps: 15, maxSteps: 4, tolerance: 0.5 },
  });
  const failedSlo = { thresholds: [{ metric: 'workflow_e2e', expression: 'p(99)<2000', ok: false, value: 4900 }], e2eP99Ms: 4900 };

  beforeEach(() => vi.mocked(runStep).mockReset());

  it('a step measured again is shown with its reason; the cause comes from the judged step', async () => {
    const good = writeResultsDir(quiet());
    const late = writeResultsDir(
      saturatedBy([
        { id: 'history-0', kind: 'temporal', services: ['history'], cores: 0.6 },
        { id: 'bench-worker-0', kind: 'worker', cores: 0.6 },
        { id: 'generator-0', kind: 'generator', cores: 0.4 },
      ]),
    );
    const bad = writeResultsDir(
      saturatedBy([
        { id: 'history-0', kind: 'temporal', services: ['history'], cores: 0.6 },
        { id: 'bench-worker-0', kind: 'worker', cores: 0.6 },
        { id: 'generator-0', kind: 'generator', cores: 0.4 },
      ]),
    );
    vi.mocked(runStep)
      .mockResolvedValueOnce(measurement(10, good))
      .mockResolvedValueOnce(
        measurement(15, late, { generatorValid: false, invalidReasons: ['scheduling-lag p99 80 ms > 25 ms'], resources: stepResources(JSON.parse(fs.readFileSync(path.join(late, 'result.json'), 'utf8')) as ResultFile) }),
      )
      .mockResolvedValueOnce(measurement(15, bad, { ...failedSlo, resources: stepResources(JSON.parse(fs.readFileSync(path.join(bad, 'result.json'), 'utf8')) as ResultFile) }));
    const dir = out();
    const report = await runCapacity(
      plan(dir),
      () => undefined,
      () => false,
    );
    expect(report.steps.map((s) => [s.index, s.measurement.targetRps, s.remeasuredBecause ? 'discarded' : s.verdict.sustainable])).toEqual([
      [1, 10, true],
      [2, 15, 'discarded'],
      [3, 15, false],
    ]);
    expect(report.steps[1]!.remeasuredBecause).toBe('the generator could not hold the rate (scheduling-lag p99 80 ms > 25 ms): measured again as step 3');
    expect(report.steps[2]!.remeasureOf).toBe(2);
    expect(report.limitingFactor!.rule).toBe('host-cpu-saturated');
    const md = capacityMarkdown(report);
    expect(md.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(3);
    expect(md).toMatch(/\| 2 \| ramp \| 15 .*re-measured: the generator could not hold the rate/);
    expect(md).toMatch(/\| 3 \| ramp \| 15 .*measured again, replaces step 2/);
    expect(md).toMatch(/Host CPU saturated: 1\.95 of 2 cores busy/);
    const html = capacityHtml(report);
    expect(html.match(/<tr class="(pass|fail|remeasured)"/g)).toEqual(['<tr class="pass"', '<tr class="remeasured"', '<tr class="fail"']);
    expect(html).toContain('capacity-resources');
    // The judged steps' CPU sits on the throughput–latency curve itself: a note at each rate that has samples
    // (the discarded step's is not drawn, the quiet step has none).
    expect(html.match(/"kind":"note","label":"host [\d.]+\/2 · [\w-]+ [\d.]+"/g)).toEqual(['"kind":"note","label":"host 1.95/2 · history-0 0.60"']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'capacity.json'), 'utf8')).steps).toHaveLength(3);
  });

  it('a failed step no rule explains: "unexplained" in capacity.json and on the page, with the missing data', async () => {
    vi.mocked(runStep).mockResolvedValueOnce(measurement(10, writeResultsDir(quiet()), failedSlo));
    const report = await runCapacity(
      plan(out()),
      () => undefined,
      () => false,
    );
    expect(report.stoppedBecause).toBe('start-rate-unsustainable');
    expect(report.limitingFactor!.rule).toBe('unexplained');
    expect(report.limitingFactor!.missingData![0]).toMatch(/^no Prometheus/);
    expect(capacityMarkdown(report)).toMatch(/\| closest candidate \| where \| observed \| its limit \|[\s\S]*Data that was missing: no Prometheus/);
    expect(capacityHtml(report)).toContain('data-rule="unexplained"');
  });
});

describe('per-step resources', () => {
  it('summarises host busy cores and the largest consumers over the steady window', () => {
    const r: ResultFile = saturatedBy([
      { id: 'history-0', kind: 'temporal', services: ['history'], cores: 0.8 },
      { id: 'postgres', kind: 'postgres', cores: 0.5 },
    ]);
    expect(stepResources(r)).toEqual({
      hostCores: 2,
      hostBusyCores: 1.95,
      top: [
        { id: 'history-0', cores: 0.8, rssMb: 100 },
        { id: 'other', cores: 0.65, rssMb: null },
        { id: 'postgres', cores: 0.5, rssMb: 100 },
      ],
    });
    expect(stepResources(fixtureResult())).toBeUndefined();
  });
});

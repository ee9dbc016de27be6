import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapacityReport } from '../../capacity/run-capacity.js';
import type { ResultFile } from '../../recorder/result-schema.js';
import { stackDown, stackUp } from '../../stack/stack.js';
import type { StackState } from '../../stack/state.js';
import { parseDynamicConfigFlag } from '../../stack/dynamic-config.js';
import { runCli } from '../helpers/cli.js';
import { testStackOptions } from '../helpers/test-stack.js';

const stack = inject('stack');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-capacity-'));

function readCapacity(out: string): CapacityReport {
  return JSON.parse(fs.readFileSync(path.join(out, 'capacity.json'), 'utf8')) as CapacityReport;
}

const searchFlags = (settle = '4s') => ['--step-duration', '12s', '--settle', settle, '--tolerance', '0.1', '--max-steps', '8', '--drain-timeout', '10s', '--slo', 'workflow_e2e:p(99)<5000'];

/**
 * The injected limits are scaled to this 2-core machine: its whole stack (server, PostgreSQL, workers,
 * generator) saturates near 20 one-activity workflows/s, so a 40/s task-queue limit would never be
 * the first thing to break here. 10/s keeps the limit the bottleneck; the search and the evidence are
 * the same at any rate.
 */
describe('bench capacity finds injected limits and names them', () => {
  it('a task queue limited to 10 activities/s: within 15% of 10/s, limited by activity dispatch', async () => {
    const out = path.join(scratch, 'tq10');
    // 9/s is 90% of a limiter that releases work in bursts: its queue takes seconds to reach its level,
    // and a 4-s settle left that climb inside the measured window on a loaded host (trend +15 at 9/s).
    const result = await runCli(
      ['capacity', '--address', stack.frontendAddress, '--prometheus-url', stack.prometheusUrl!, '--task-queue-activities-per-second', '10', '--start-rps', '5', '--max-rps', '20', ...searchFlags('8s'), '--out', out],
      {
        timeoutMs: 600_000,
      },
    );
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const report = readCapacity(out);
    expect(report.maxSustainableRps).toBeGreaterThanOrEqual(8.5);
    expect(report.maxSustainableRps).toBeLessThanOrEqual(11.5);
    expect(Math.max(...report.steps.map((s) => s.measurement.targetRps))).toBeLessThanOrEqual(20);
    expect(report.limitingFactor?.rule).toBe('task-queue-rate-limit');
    expect(report.limitingFactor?.evidence.map((e) => e.metric).join(' ')).toMatch(/schedule_to_start/);
    expect(result.stderr).toMatch(/capacity: max sustainable \d+\/s, first bad \d+\/s \(converged\) in \d+s over \d+ steps/);
    const html = fs.readFileSync(path.join(out, 'capacity.html'), 'utf8');
    expect(html).toContain('capacity-curve');
    expect(fs.readFileSync(path.join(out, 'capacity.md'), 'utf8')).toMatch(/Highest sustainable start rate: \*\*\d+\/s\*\*/);
    // The measured capacity becomes alerts: the start-rate rule at 80% of it, named after this search.
    const alerts = fs.readFileSync(path.join(out, 'alerts.yaml'), 'utf8');
    expect(alerts).toContain(`> ${Math.round(report.maxSustainableRps! * 0.8 * 1000) / 1000}"`);
    expect(alerts).toContain(`measured_by: "temporal-bench capacity ${report.capacityId}"`);
  }, 600_000);

  describe('frontend.namespaceRPS set low through the stack dynamic config', () => {
    let limited: StackState;
    const options = testStackOptions('nsrps', 8, {
      persistence: 'sqlite',
      historyShards: 64,
      dynamicConfig: [parseDynamicConfigFlag('frontend.namespaceRPS=10@namespace=bench')],
    });
    beforeAll(async () => {
      limited = await stackUp(options, () => undefined);
    });
    afterAll(async () => {
      await stackDown(options.dir, false, () => undefined);
    });

    it('names the frontend rate limit and finds a lower maximum than without the limit', async () => {
      const out = path.join(scratch, 'nsrps');
      const result = await runCli(['capacity', '--address', limited.frontendAddress, '--prometheus-url', limited.prometheusUrl!, '--start-rps', '4', '--max-rps', '20', ...searchFlags(), '--out', out], { timeoutMs: 600_000 });
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
      const report = readCapacity(out);
      expect(report.firstBadRps).not.toBeNull();
      expect(report.maxSustainableRps ?? 0).toBeLessThan(report.firstBadRps!);
      expect(report.limitingFactor?.rule).toBe('frontend-rps-limit');
      expect(report.limitingFactor?.evidence.map((e) => e.metric).join(' ')).toMatch(/resource_exhausted|RESOURCE_EXHAUSTED/);
      // Without the limit, the shared stack sustains the rate the limited stack could not.
      const check = await runCli(['capacity', '--address', stack.frontendAddress, '--start-rps', String(report.firstBadRps), '--max-rps', String(report.firstBadRps), ...searchFlags(), '--out', path.join(scratch, 'nolimit')], {
        timeoutMs: 300_000,
      });
      expect(check.code, check.stderr.slice(-2000)).toBe(0);
      expect(readCapacity(path.join(scratch, 'nolimit')).maxSustainableRps).toBe(report.firstBadRps);
    }, 900_000);
  });
});

/** Three short steps (ramp ×2, coarse bisection): enough to cross the limit, quick on 2 shared cores. */
const shortFlags = ['--step-factor', '2', '--step-duration', '8s', '--settle', '3s', '--tolerance', '0.5', '--max-steps', '3', '--drain-timeout', '10s', '--slo', 'workflow_e2e:p(99)<2000'];

describe('bench capacity names a resource cause with per-component figures', () => {
  it('on the local PostgreSQL stack (512 shards): the first bad step is named by CPU, host and components', async () => {
    const out = path.join(scratch, 'resources');
    const result = await runCli(['capacity', '--stack-dir', stack.dir, '--start-rps', '12', '--max-rps', '48', ...shortFlags, '--out', out], { timeoutMs: 600_000 });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const report = readCapacity(out);
    expect(report.firstBadRps, result.stderr.slice(-2000)).not.toBeNull();
    const cause = report.limitingFactor!;
    expect(['host-cpu-saturated', 'temporal-service-cpu', 'postgres-cpu', 'worker-cpu-bound'], JSON.stringify(cause, null, 1)).toContain(cause.rule);
    const perComponent = cause.evidence.filter((e) => e.metric.startsWith('process CPU'));
    expect(perComponent.length).toBeGreaterThan(0);
    for (const e of perComponent) expect(e).toMatchObject({ where: expect.any(String), unit: 'cores', observed: expect.any(Number) });
    expect(cause.evidence.find((e) => e.metric === 'host CPU busy (/proc/stat)')).toMatchObject({ unit: 'cores', where: `${os.availableParallelism()} cores` });

    // The bad step's result.json names every component of the run; every step carries the host and its top consumers.
    const bad = report.steps.find((s) => !s.remeasuredBecause && s.measurement.targetRps === report.firstBadRps && !s.verdict.sustainable)!;
    const resources = (JSON.parse(fs.readFileSync(path.join(bad.measurement.resultDir!, 'result.json'), 'utf8')) as ResultFile).resources!;
    expect(resources.components.map((c) => c.id)).toEqual(expect.arrayContaining(['server', 'prometheus', 'postgres', 'postgres-background', 'bench-worker-0', 'generator-0', 'coordinator']));
    expect(resources.components.find((c) => c.id === 'server')!.pids).toEqual([stack.processes.find((p) => p.id === 'server')!.pid]);
    expect(resources.t.length).toBeGreaterThanOrEqual(10);
    for (const s of report.steps) expect(s.measurement.resources!.hostCores).toBe(os.availableParallelism());
    const md = fs.readFileSync(path.join(out, 'capacity.md'), 'utf8');
    expect(md).toContain('| host CPU | top CPU |');
    expect(md.match(/^\| \d+ \| (ramp|bisect) \|/gm)).toHaveLength(report.steps.length);
    expect(fs.readFileSync(path.join(out, 'capacity.html'), 'utf8')).toContain('capacity-resources');
    expect(fs.readFileSync(path.join(bad.measurement.resultDir!, 'report.html'), 'utf8')).toContain('data-chart="resources-cpu"');
  }, 600_000);

  it('one worker process with one activity slot and a 200 ms activity: names the worker slots', async () => {
    const out = path.join(scratch, 'slots');
    const config = path.join(scratch, 'sleep-200ms.json');
    fs.writeFileSync(config, JSON.stringify({ mix: [{ kind: 'activity', input: { call: { name: 'sleep', ms: 200 } } }] }));
    const result = await runCli(['capacity', '--stack-dir', stack.dir, '--workers', '1', '--activity-slots', '1', '--config', config, '--start-rps', '2', '--max-rps', '8', ...shortFlags, '--out', out], { timeoutMs: 600_000 });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const report = readCapacity(out);
    // One slot, 200 ms each: at most 5 activities/s.
    expect(report.firstBadRps).not.toBeNull();
    expect(report.firstBadRps!).toBeLessThanOrEqual(8);
    expect(report.maxSustainableRps ?? 0).toBeLessThan(5);
    expect(report.limitingFactor?.rule, JSON.stringify(report.limitingFactor, null, 1)).toBe('configured-worker-slots');
    expect(report.limitingFactor!.knob).toMatch(/--activity-slots, now 1.*--workers, now 1/);
    expect(report.limitingFactor!.evidence.map((e) => e.metric).join(' ')).toMatch(/slots_available|schedule_to_start/);
  }, 600_000);
});

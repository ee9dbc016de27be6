import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapacityReport } from '../../capacity/run-capacity.js';
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

const searchFlags = ['--step-duration', '12s', '--settle', '4s', '--tolerance', '0.1', '--max-steps', '8', '--drain-timeout', '10s', '--slo', 'workflow_e2e:p(99)<5000'];

/**
 * The injected limits are scaled to this 2-core machine: its whole stack (server, PostgreSQL, workers,
 * generator) saturates near 20 one-activity workflows/s, so a 40/s task-queue limit would never be
 * the first thing to break here. 10/s keeps the limit the bottleneck; the search and the evidence are
 * the same at any rate.
 */
describe('bench capacity finds injected limits and names them', () => {
  it('a task queue limited to 10 activities/s: within 15% of 10/s, limited by activity dispatch', async () => {
    const out = path.join(scratch, 'tq10');
    const result = await runCli(
      ['capacity', '--address', stack.frontendAddress, '--prometheus-url', stack.prometheusUrl!, '--task-queue-activities-per-second', '10',
        '--start-rps', '5', '--max-rps', '20', ...searchFlags, '--out', out],
      { timeoutMs: 600_000 },
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
      const result = await runCli(
        ['capacity', '--address', limited.frontendAddress, '--prometheus-url', limited.prometheusUrl!, '--start-rps', '4', '--max-rps', '20', ...searchFlags, '--out', out],
        { timeoutMs: 600_000 },
      );
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
      const report = readCapacity(out);
      expect(report.firstBadRps).not.toBeNull();
      expect(report.maxSustainableRps ?? 0).toBeLessThan(report.firstBadRps!);
      expect(report.limitingFactor?.rule).toBe('frontend-rps-limit');
      expect(report.limitingFactor?.evidence.map((e) => e.metric).join(' ')).toMatch(/resource_exhausted|RESOURCE_EXHAUSTED/);
      // Without the limit, the shared stack sustains the rate the limited stack could not.
      const check = await runCli(
        ['capacity', '--address', stack.frontendAddress, '--start-rps', String(report.firstBadRps), '--max-rps', String(report.firstBadRps), ...searchFlags, '--out', path.join(scratch, 'nolimit')],
        { timeoutMs: 300_000 },
      );
      expect(check.code, check.stderr.slice(-2000)).toBe(0);
      expect(readCapacity(path.join(scratch, 'nolimit')).maxSustainableRps).toBe(report.firstBadRps);
    }, 900_000);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { StepMeasurement } from '../../capacity/judge.js';
import { judgeStep } from '../../capacity/judge.js';
import { findKnee } from '../../capacity/knee.js';
import { renderCapacity } from '../../capacity/render.js';
import type { CapacityReport } from '../../capacity/run-capacity.js';
import { defaultSearchOptions } from '../../capacity/search.js';
import { launchChromium } from '../helpers/chromium.js';
import { repoRoot } from '../helpers/test-stack.js';

function step(index: number, rps: number, p99: number, completedRps = rps): CapacityReport['steps'][number] {
  const measurement: StepMeasurement = {
    targetRps: rps,
    achievedRps: rps,
    completedRps,
    backlogStart: 0,
    backlogEnd: Math.round((rps - completedRps) * 30),
    errorRate: 0,
    e2eP50Ms: p99 / 3,
    e2eP99Ms: p99,
    startP99Ms: 20,
    thresholds: [],
    generatorValid: true,
    durationS: 30,
  };
  return { index, phase: index > 4 ? 'bisect' : 'ramp', measurement, verdict: judgeStep(measurement) };
}

describe('capacity.html in Chromium', () => {
  it('draws the throughput–latency curve with no console errors', async () => {
    const steps = [step(1, 10, 40), step(2, 15, 45), step(3, 23, 60), step(4, 35, 900, 30), step(5, 29, 120)];
    const report: CapacityReport = {
      schemaVersion: 1,
      capacityId: 'cap-test',
      startedAt: '2026-01-01T00:00:00Z',
      endedAt: '2026-01-01T00:05:00Z',
      elapsedS: 300,
      address: '127.0.0.1:7233',
      namespace: 'bench',
      scenario: '<b>baseline</b>',
      slo: ['workflow_e2e=p(99)<2000'],
      search: defaultSearchOptions,
      stoppedBecause: 'converged',
      maxSustainableRps: 29,
      firstBadRps: 35,
      knee: findKnee(steps.map((s) => ({ rps: s.measurement.targetRps, p50Ms: s.measurement.e2eP50Ms, p99Ms: s.measurement.e2eP99Ms }))) ?? null,
      steps,
      limitingFactor: null,
      firstBadReasons: steps[3]!.verdict.reasons,
    };
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-capacity-html-'));
    const [, html] = renderCapacity(report, out);
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(html!).href);
      await page.waitForSelector('figure[data-chart="capacity-curve"][data-drawn="true"]');
      expect(await page.locator('figure[data-chart="capacity-curve"] path.line').count()).toBe(2);
      expect(await page.locator('h1').textContent()).toContain('<b>baseline</b>');
      expect(await page.locator('#steps tbody tr').count()).toBe(5);
      fs.mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'capacity.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

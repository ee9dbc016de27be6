import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateReport } from '../../reports/generate.js';
import { launchChromium } from '../helpers/chromium.js';
import { fixtureResult, writeResultsDir } from '../helpers/report-fixtures.js';
import { withResources } from '../helpers/resource-fixtures.js';

describe('resource charts in Chromium', () => {
  it('draws CPU by component as stacked areas under the host-cores line', async () => {
    const result = withResources(fixtureResult(), { cores: 2, busy: 1.9 }, [
      { id: 'history-0', kind: 'temporal', services: ['history'], cores: 0.8 },
      { id: 'postgres', kind: 'postgres', cores: 0.5 },
      { id: 'bench-worker-0', kind: 'worker', cores: 0.3 },
    ]);
    const out = await generateReport(writeResultsDir(result));
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(pathToFileURL(out.html).href);
      const fig = page.locator('figure[data-chart="resources-cpu"]');
      await page.waitForSelector('figure[data-chart="resources-cpu"][data-drawn="true"]');
      // history, postgres, the worker and "other processes": one filled band each, no lines.
      expect(await fig.locator('svg path.area').count()).toBe(4);
      expect(await fig.locator('svg path.line').count()).toBe(0);
      expect(await fig.locator('svg .ref-label').textContent()).toBe('2 cores');
      // The stack's top (1.9 cores busy) sits just under the 2-core line: each band starts where the last ended.
      const top = await fig.locator('svg path.area').last().boundingBox();
      const line = await fig.locator('svg line.ref').boundingBox();
      expect(top!.y).toBeGreaterThan(line!.y);
      expect(top!.y - line!.y).toBeLessThan(0.1 * (await fig.locator('svg').boundingBox())!.height);
      expect(await page.locator('nav a[href="#charts-host-resources"]').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../history/history.js';
import { renderHistoryHtml } from '../../history/html.js';
import { launchChromium } from '../helpers/chromium.js';
import { syntheticResult } from '../helpers/synthetic-result.js';
import { repoRoot } from '../helpers/test-stack.js';

/** 12 nights of one scenario, slower from night 7, night 2 invalid (a saturated generator). */
function nightsDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-history-html-'));
  for (let i = 0; i < 12; i++) {
    const dir = path.join(root, `night-${i}`);
    fs.mkdirSync(dir);
    const r = syntheticResult({ seed: 100 + i, scenario: '<b>steady</b>', steadyIntervals: 30, rate: 20, latencyScale: i >= 7 ? 1.5 : 1 });
    if (i === 2) r.summary.valid = false;
    fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify(r));
  }
  return root;
}

describe('history.html in Chromium', () => {
  it("draws every series with the report's chart code: a dot per run, invalid runs hollow, the change point marked", async () => {
    const root = nightsDir();
    const file = path.join(root, 'history.html');
    fs.writeFileSync(file, renderHistoryHtml(buildHistory(root)));
    const url = pathToFileURL(file).href;
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (req) => req.url() !== url && requests.push(req.url()));
      await page.goto(url);
      await page.waitForSelector('body[data-charts-drawn]');
      const states = await page.$$eval('figure[data-chart]', (figs) => figs.map((f) => f.getAttribute('data-drawn')));
      expect(states).toEqual(['true', 'true', 'true']);
      const p99 = page.locator('figure[data-chart="history-0-p99"]');
      expect(await p99.locator('path.line').count()).toBe(1);
      expect(await p99.locator('circle.dot').count()).toBe(12);
      expect(await p99.locator('circle.dot.hollow').count()).toBe(1);
      expect(await p99.locator('circle.dot.hollow title').textContent()).toMatch(/invalid run$/);
      expect(await p99.locator('g.change-point').count()).toBe(1);
      expect(await p99.locator('g.change-point title').textContent()).toMatch(/^change point before synthetic-107: /);
      expect(await page.locator('h2').first().textContent()).toBe('<b>steady</b>');
      fs.mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'history.png'), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await close();
    }
  });
});

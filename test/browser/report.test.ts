import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReport } from '../../reports/generate.js';
import { launchChromium } from '../helpers/chromium.js';
import { hostileCmd, withFaults } from '../helpers/fault-fixtures.js';
import { fixtureResult, fixtureServer, series, writeResultsDir } from '../helpers/report-fixtures.js';
import { repoRoot } from '../helpers/test-stack.js';

const evilScenario = '<script>alert(1)</script>';
const evilError = 'upstream said "><img src=x onerror=alert(1)>';

/** A results dir whose scenario name, error codes, labels, server errors and fault commands all carry markup. */
function hostileResultsDir(): string {
  const result = withFaults(fixtureResult({ scenario: evilScenario, errors: { [evilError]: 1, RESOURCE_EXHAUSTED: 2 } }));
  const server = fixtureServer(
    {
      rpc_rate: [series({ service_name: 'frontend', operation: 'StartWorkflowExecution' }, 50), series({ service_name: 'history', operation: evilError }, 40)],
      rpc_p99: [series({ service_name: 'history', operation: 'RecordWorkflowTaskStarted' }, (i) => 40 + 10 * i)],
      persistence_p99: [series({ operation: 'CreateWorkflowExecution' }, (i) => (i % 5 === 0 ? null : 60 + i))],
      resource_exhausted: [series({ service_name: 'frontend', resource_exhausted_cause: 'RpsLimit' }, (i) => (i > 10 ? 3 : 0))],
      sync_match_ratio: [series({ task_type: 'Workflow' }, 0.7)],
    },
    [{ id: 'custom', group: 'rpc', title: 'custom query', unit: 'ops/s', query: 'bad(', status: 'error', error: evilError, series: [] }],
  );
  return writeResultsDir(result, server);
}

describe('report.html in Chromium', () => {
  let context: BrowserContext;
  let close: () => Promise<void>;
  let page: Page;
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  const requests: string[] = [];
  let reportUrl: string;

  beforeAll(async () => {
    const dir = hostileResultsDir();
    const out = await generateReport(dir);
    reportUrl = pathToFileURL(out.html).href;
    ({ context, close } = await launchChromium());
    page = await context.newPage();
    page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (req) => req.url() !== reportUrl && requests.push(req.url()));
    await page.goto(reportUrl);
    await page.waitForSelector('body[data-charts-drawn]');
  });
  afterAll(async () => close?.());

  it('opens with no console errors, no dialogs and no network requests', () => {
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('draws every chart (data charts as SVG lines, missing metrics as a visible message)', async () => {
    const states = await page.$$eval('figure[data-chart]', (figs) => figs.map((f) => [f.getAttribute('data-chart'), f.getAttribute('data-drawn')]));
    expect(states.length).toBeGreaterThan(20);
    for (const [id, drawn] of states) expect([id, ['true', 'missing', 'error'].includes(drawn ?? '')]).toEqual([id, true]);
    const drawn = Object.fromEntries(states);
    for (const id of ['rate', 'in-flight', 'latency-start', 'latency-e2e', 'spectrum', 'errors', 'generator-loop', 'server-rpc_rate', 'server-persistence_p99']) {
      expect(drawn[id], id).toBe('true');
      expect(await page.locator(`figure[data-chart="${id}"] svg path.line`).count(), id).toBeGreaterThan(0);
    }
    expect(drawn['server-pod_cpu']).toBe('missing');
    await expect(page.locator('figure[data-chart="server-pod_cpu"] .missing').textContent()).resolves.toMatch(/^missing/);
    // The only 'error' chart is the query that failed on the server side.
    expect(states.filter(([, d]) => d === 'error').map(([id]) => id)).toEqual(['server-custom']);
  });

  it('shows pass and fail rows in the thresholds table', async () => {
    expect(await page.locator('#thresholds tr[data-status="pass"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#thresholds tr[data-status="fail"]').count()).toBeGreaterThan(0);
    await expect(page.locator('#thresholds tr[data-status="fail"]').first().textContent()).resolves.toContain('FAIL');
  });

  it('draws each outage window as a shaded band and each fault and restart as a labelled marker', async () => {
    for (const id of ['rate', 'errors', 'server-rpc_rate']) {
      const band = page.locator(`figure[data-chart="${id}"] svg rect.outage-window`);
      expect(await band.count(), id).toBe(1);
      expect([await band.getAttribute('data-start-s'), await band.getAttribute('data-end-s')], id).toEqual(['16', '38']);
      expect(Number(await band.getAttribute('width')), id).toBeGreaterThan(0);
    }
    const markers = page.locator('figure[data-chart="rate"] svg .fault-marker');
    const drawn = await markers.evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-kind'), g.getAttribute('data-at-s'), g.querySelector('text')?.textContent]));
    expect(drawn).toEqual([
      ['fault', '15.2', 'kill history-1'],
      ['restart', '35.1', 'restart history-1'],
      ['fault', '45', `exec ${hostileCmd}`],
    ]);
    // The band sits between the kill and the restart on screen too.
    const x = async (sel: string) => (await page.locator(`figure[data-chart="rate"] svg ${sel}`).first().boundingBox())!.x;
    expect(await x('rect.outage-window')).toBeGreaterThan(await x('.fault-marker[data-kind="fault"] line'));
    expect(await x('.fault-marker[data-kind="restart"] line')).toBeGreaterThan(await x('rect.outage-window'));
    await expect(page.locator('#availability tr[data-fault="1"]').textContent()).resolves.toContain(hostileCmd);
    expect(await page.locator('#availability .lost-work').getAttribute('data-lost-work')).toBe('0');
  });

  it('renders hostile scenario names and server error texts as visible text, running nothing', async () => {
    await expect(page.locator('header .scenario').textContent()).resolves.toBe(evilScenario);
    expect(await page.locator('header .scenario').isVisible()).toBe(true);
    expect(await page.title()).toContain(evilScenario);
    expect(await page.getByText(evilError, { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.locator('figure[data-chart="errors"] .legend').textContent()).toContain(evilError);
    expect(await page.locator('figure[data-chart="server-custom"] .missing').textContent()).toContain(evilError);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(4); // the data block and the three inline scripts
    expect(dialogs).toEqual([]);
  });

  it('enforces its CSP: an inline script added later is blocked, a fetch is refused', async () => {
    // A string: the test project compiles without DOM types; this runs in the page.
    const outcome = (await page.evaluate(`(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.appendChild(script);
      const fetched = await fetch('http://127.0.0.1:9/x').then(() => 'fetched', () => 'refused');
      await new Promise((r) => setTimeout(r, 0)); // violation events are dispatched as tasks
      return { injected: window.__injected === true, fetched, violations };
    })()`)) as { injected: boolean; fetched: string; violations: string[] };
    expect(outcome.injected).toBe(false);
    expect(outcome.fetched).toBe('refused');
    expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
  });

  it('keeps a screenshot as a test artifact', async () => {
    const file = path.join(repoRoot, 'test-artifacts', 'report.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });
});

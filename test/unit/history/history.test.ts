import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChangePoints } from '../../../compare/stats/change-points.js';
import { gaussian, seededRng } from '../../../compare/stats/random.js';
import { buildHistory } from '../../../history/history.js';
import { runCli } from '../../helpers/cli.js';
import { syntheticResult, type SyntheticOptions } from '../../helpers/synthetic-result.js';

const noisy = (seed: number, n: number, level: (i: number) => number) => {
  const rng = seededRng(seed);
  return Array.from({ length: n }, (_, i) => level(i) * (1 + 0.05 * gaussian(rng)));
};

describe('change points', () => {
  it('a step series has its change point at the step (several seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const cps = findChangePoints(
        noisy(seed, 20, (i) => (i < 12 ? 100 : 130)),
        { seed },
      );
      expect(
        cps.map((c) => c.index),
        `seed ${seed}`,
      ).toEqual([12]);
      expect(cps[0]!.change).toBeGreaterThan(0.2);
    }
  });

  it('flat noise has none (several seeds)', () => {
    for (const seed of [11, 12, 13, 14, 15, 16, 17, 18])
      expect(
        findChangePoints(
          noisy(seed, 30, () => 100),
          { seed },
        ),
        `seed ${seed}`,
      ).toEqual([]);
  });

  it('two steps give two change points', () => {
    expect(findChangePoints(noisy(7, 30, (i) => (i < 10 ? 100 : i < 20 ? 150 : 90))).map((c) => c.index)).toEqual([10, 20]);
  });
});

function nights(root: string, scenario: string, count: number, slowFrom: number, seed0: number, extra: Partial<SyntheticOptions> = {}) {
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `${scenario.replace(/\W/g, '_')}-${i}`);
    mkdirSync(dir);
    const r = syntheticResult({ seed: seed0 + i, scenario, steadyIntervals: 30, rate: 20, latencyScale: i >= slowFrom ? 1.5 : 1, ...extra });
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify(r));
  }
}

describe('bench history', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bench-history-'));
  const evil = '<script>alert(1)</script>';
  nights(root, 'steady', 12, 7, 100);
  nights(root, evil, 8, 99, 300);
  writeFileSync(path.join(root, 'steady-0', 'ignored.json'), '{}');
  mkdirSync(path.join(root, 'broken'));
  writeFileSync(path.join(root, 'broken', 'result.json'), '{"schemaVersion": 7}');

  it('finds the slowdown night in p99 and nothing in a flat scenario; bad results are listed as skipped', () => {
    const h = buildHistory(root);
    const steady = h.scenarios.find((s) => s.scenario === 'steady')!;
    expect(steady.points).toHaveLength(12);
    expect(steady.changePoints.p99.map((c) => c.runId)).toEqual(['synthetic-107']);
    expect(steady.changePoints.throughput).toEqual([]);
    expect(h.scenarios.find((s) => s.scenario === evil)!.changePoints.p99).toEqual([]);
    expect(h.skipped).toHaveLength(1);
    expect(h.skipped[0]!.reason).toMatch(/schemaVersion 7/);
  });

  it("writes one self-contained HTML file in the report's shell: chart data, escaped strings, nothing fetched", async () => {
    const out = path.join(root, 'trend.html');
    const r = await runCli(['history', root, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/20 runs, 2 scenario\(s\), 1 change point/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('content="default-src &#39;none&#39;');
    // 2 scenarios × 3 series, drawn by the report's chart code from the JSON block.
    expect(html.match(/<figure class="chart" data-chart="history-\d-\w+">/g)).toHaveLength(6);
    const data = JSON.parse(html.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1]!);
    expect(data.charts.flatMap((c: { markers?: { title: string }[] }) => c.markers ?? []).map((m: { title: string }) => m.title)).toEqual([expect.stringMatching(/^change point before synthetic-107: /)]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Outside the page's own scripts: no markup from the results and nothing that would fetch.
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '');
    expect(markup).not.toMatch(/<script>alert/i);
    expect(markup).not.toMatch(/(src|href)=|url\(|https?:\/\//i);
  });

  it('an empty directory is a usage error', async () => {
    const r = await runCli(['history', mkdtempSync(path.join(os.tmpdir(), 'bench-history-empty-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no usable result\.json/);
  });
});

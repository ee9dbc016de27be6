import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaussian, seededRng } from '../../../compare/stats/random.js';
import { mannKendall } from '../../../compare/stats/trend.js';
import { analyseDrift } from '../../../soak/drift.js';
import { writeDrift } from '../../../soak/write.js';
import { syntheticResult } from '../../helpers/synthetic-result.js';

/** 10 minutes of 1-s intervals cut into 30-s windows: 20 windows. */
const soak = (seed: number, rssMb?: (k: number) => number) => syntheticResult({ seed, steadyIntervals: 600, rate: 10, rssMb });

describe('soak drift analysis', () => {
  it('flat series: no growth flagged, verdict stable (several seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const d = analyseDrift({ result: soak(seed) }, { windowS: 30 });
      expect(d.windows).toHaveLength(20);
      expect(d.flagged, `seed ${seed}`).toEqual([]);
      expect(d.verdict).toBe('stable');
    }
  });

  it('steadily growing generator RSS is flagged as drift', () => {
    const rng = seededRng(9);
    const d = analyseDrift({ result: soak(6, (k) => 80 + k * 0.05 + gaussian(rng)) }, { windowS: 30 });
    expect(d.verdict).toBe('drift');
    expect(d.flagged).toEqual(['generator RSS (MB)']);
    const t = d.trends.find((x) => x.series === 'generator RSS (MB)')!;
    expect(t.slopePerHour).toBeGreaterThan(150);
    expect(t.pValue).toBeLessThan(0.001);
  });

  it('worker RSS and server metrics are optional inputs; a declining server metric can be the bad direction', () => {
    const workerRssMb = Array.from({ length: 120 }, (_, i) => ({ t: 5 + i * 5, value: 200 + i * 0.5 }));
    const syncMatch = Array.from({ length: 120 }, (_, i) => ({ t: 5 + i * 5, value: 0.99 - i * 0.004 }));
    const d = analyseDrift({ result: soak(7), workerRssMb, server: { 'sync match rate': { samples: syncMatch, worseWhen: 'decrease' } } }, { windowS: 30 });
    expect(d.flagged.sort()).toEqual(['sync match rate', 'worker RSS (MB)']);
    expect(d.windows[0]!.server['sync match rate']).toBeCloseTo(0.98, 1);
  });

  it('a partial soak (status running, with warmup still in the timeline) is analysable', () => {
    const r = syntheticResult({ seed: 8, steadyIntervals: 95, rate: 10, status: 'running' });
    const d = analyseDrift({ result: r }, { windowS: 30 });
    expect(d.partial).toBe(true);
    expect(d.windows).toHaveLength(3); // 95 s: three full windows, the 5-s tail is dropped
    expect(d.verdict).toBe('insufficient-data');
    const justStarted = analyseDrift({ result: syntheticResult({ seed: 8, steadyIntervals: 0, status: 'running' }) });
    expect(justStarted.windows).toEqual([]);
    expect(justStarted.verdict).toBe('insufficient-data');
  });

  it('writeDrift writes drift.json and a Markdown section next to result.json', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-drift-'));
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify(soak(10)));
    const { markdown } = writeDrift(dir, { windowS: 60 });
    expect(JSON.parse(readFileSync(path.join(dir, 'drift.json'), 'utf8')).windows).toHaveLength(10);
    expect(markdown).toContain('## Soak drift: 🟢 stable');
    expect(readFileSync(path.join(dir, 'drift.md'), 'utf8')).toBe(markdown);
  });

  it('Mann-Kendall: exact p for a perfect monotone series of 4 is 1/24; Theil-Sen ignores one outlier', () => {
    expect(mannKendall([1, 2, 3, 4]).pIncreasing).toBeCloseTo(1 / 24, 6);
    const mk = mannKendall([10, 12, 14, 100, 18, 20, 22]);
    expect(mk.slope).toBeCloseTo(2, 6);
  });
});

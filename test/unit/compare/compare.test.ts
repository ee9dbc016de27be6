import { describe, expect, it } from 'vitest';
import { compareResults, exitCodeFor } from '../../../compare/compare.js';
import type { LoadedResult } from '../../../compare/load.js';
import { renderComparisonMarkdown } from '../../../compare/markdown.js';
import { syntheticResult, type SyntheticOptions } from '../../helpers/synthetic-result.js';

const loaded = (o: SyntheticOptions): LoadedResult => ({ path: `${o.seed}.json`, result: syntheticResult(o) });
const byId = (c: ReturnType<typeof compareResults>, id: string) => c.metrics.find((m) => m.id === id)!;

describe('compareResults on synthetic runs', () => {
  // The gate's false-alarm rate, measured rather than assumed: on this noisy model (whole-run p99 varies
  // ±5% between identical runs) about 0.7% of 150 identical pairs gave a verdict other than unchanged.
  it('the same distribution with noise is unchanged: ≤ 1 false verdict in 12 seed pairs', () => {
    const falseVerdicts: string[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const c = compareResults(loaded({ seed }), loaded({ seed: seed + 100 }), {});
      if (c.verdict !== 'unchanged') falseVerdicts.push(`seed ${seed}: ${c.metrics.filter((m) => m.verdict !== 'unchanged').map((m) => m.id)}`);
    }
    expect(falseVerdicts.length, falseVerdicts.join('\n')).toBeLessThanOrEqual(1);
  });

  it('+30% latency is regressed (p99 and p50), with exit code 99', () => {
    const c = compareResults(loaded({ seed: 1 }), loaded({ seed: 2, latencyScale: 1.3 }));
    expect(c.verdict).toBe('regressed');
    expect(exitCodeFor(c)).toBe(99);
    const p99 = byId(c, 'e2e.p99');
    expect(p99.verdict).toBe('regressed');
    expect(p99.significant).toBe(true);
    expect(p99.delta!).toBeGreaterThan(0.2);
    expect(p99.ci![0]).toBeGreaterThan(0);
    expect(byId(c, 'throughput').verdict).toBe('unchanged');
  });

  it('a slower tail alone regresses p99 but not p50', () => {
    const c = compareResults(loaded({ seed: 3 }), loaded({ seed: 4, tailScale: 1.3 }));
    expect(byId(c, 'e2e.p99').verdict).toBe('regressed');
    expect(byId(c, 'e2e.p50').verdict).toBe('unchanged');
  });

  it('a percentile with fewer than 10 samples beyond it is not judged, however far it moved', () => {
    // 5/s for 15 s: p99 of 75 samples is their max. A tripled tail would "regress" it; the gate says why it cannot tell.
    const few = { rate: 5, steadyIntervals: 15 };
    const c = compareResults(loaded({ seed: 11, ...few }), loaded({ seed: 12, ...few, tailScale: 3 }));
    for (const [id, needs] of [
      ['e2e.p99', '1,000'],
      ['start.p99', '1,000'],
      ['e2e.p999', '10,000'],
    ]) {
      expect(byId(c, id!)).toMatchObject({ verdict: 'unchanged', judged: false });
      expect(byId(c, id!).note).toContain(`of 75 samples is nearly their max; needs ≥ ${needs} samples per run`);
    }
    expect(byId(c, 'e2e.p50').judged).toBe(true);
    expect(renderComparisonMarkdown(c)).toMatch(/end-to-end latency p99 \|.*\| ⚫ not judged \(p99 of 75 samples/);
    // 40/s for 60 s: 2,400 samples judge p99 (24 beyond it) but not p99.9 (2.4 beyond it).
    const enough = compareResults(loaded({ seed: 13 }), loaded({ seed: 14, tailScale: 1.3 }));
    expect(byId(enough, 'e2e.p99').verdict).toBe('regressed');
    expect(byId(enough, 'e2e.p999').judged).toBe(false);
    expect(byId(enough, 'e2e.p999').note).toMatch(/p99\.9 of 2,400 samples .*needs ≥ 10,000/);
  });

  it('−30% latency is improved', () => {
    const c = compareResults(loaded({ seed: 5 }), loaded({ seed: 6, latencyScale: 0.7 }));
    expect(c.verdict).toBe('improved');
    expect(byId(c, 'e2e.p99').verdict).toBe('improved');
    expect(exitCodeFor(c)).toBe(0);
  });

  it('a significant change inside the tolerance is unchanged', () => {
    const c = compareResults(loaded({ seed: 7 }), loaded({ seed: 8, latencyScale: 1.3 }), { tolerances: { latency: 0.5 } });
    expect(byId(c, 'e2e.p50').verdict).toBe('unchanged');
    expect(byId(c, 'e2e.p50').significant).toBe(true);
    expect(c.verdict).toBe('unchanged');
  });

  it('more errors beyond the absolute tolerance regress the error rate', () => {
    const c = compareResults(loaded({ seed: 9 }), loaded({ seed: 10, errorRate: 0.1 }));
    const e = byId(c, 'errorRate');
    expect(e.scale).toBe('absolute');
    expect(e.verdict).toBe('regressed');
    expect(byId(c, 'throughput').verdict).toBe('regressed');
  });

  it('only steady intervals count: a terrible warmup changes nothing', () => {
    const base = loaded({ seed: 11 });
    const cand = loaded({ seed: 12 });
    for (const i of cand.result.timeline) if (i.phase === 'warmup') for (const s of Object.values(i.latencyMs)) s.p99 *= 50;
    expect(compareResults(base, cand).verdict).toBe('unchanged');
  });

  it('the verdict is reproducible (seeded resampling)', () => {
    const a = compareResults(loaded({ seed: 13 }), loaded({ seed: 14, latencyScale: 1.1 }));
    const b = compareResults(loaded({ seed: 13 }), loaded({ seed: 14, latencyScale: 1.1 }));
    expect(a).toEqual(b);
  });

  it('Markdown lists every metric with the spectrum of both runs', () => {
    const base = loaded({ seed: 15 });
    const cand = loaded({ seed: 16, latencyScale: 1.3 });
    const md = renderComparisonMarkdown(compareResults(base, cand), { baseline: base.result, candidate: cand.result });
    expect(md).toContain('regressed');
    expect(md).toContain('end-to-end latency p99.9');
    expect(md).toContain('e2e percentile spectrum');
    expect(md).toMatch(/\| p99\.99 \|/);
  });
});

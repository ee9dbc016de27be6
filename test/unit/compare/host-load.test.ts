import { describe, expect, it } from 'vitest';
import { compareResults, exitCodeFor } from '../../../compare/compare.js';
import { hostLoad, marginFor } from '../../../compare/host-load.js';
import type { LoadedResult } from '../../../compare/load.js';
import { renderComparisonMarkdown } from '../../../compare/markdown.js';
import type { ResultFile } from '../../../recorder/result-schema.js';
import { syntheticResult, type SyntheticOptions } from '../../helpers/synthetic-result.js';

/**
 * A synthetic run with per-second resource samples: the run's own components use `ownCores`, and
 * the host is busier than them by `otherCores` (processes that are not the run).
 */
function withHost(o: SyntheticOptions, ownCores: number, otherCores: number, hostCores = 2): LoadedResult {
  const result: ResultFile = syntheticResult(o);
  const t = result.timeline.map((i) => i.t + i.durationS);
  const server = t.map(() => ownCores * 0.6);
  const generator = t.map(() => ownCores * 0.4);
  result.resources = {
    source: 'proc',
    t,
    host: { hostname: 'test', cores: hostCores, busyCores: t.map(() => ownCores + otherCores), load1: t.map(() => 1), memTotalMb: 24_000, memAvailableMb: t.map(() => 20_000) },
    components: [
      { id: 'server', kind: 'temporal', pids: [10], cpuCores: server, rssMb: server.map(() => 300) },
      { id: 'generator-0', kind: 'generator', pids: [11], cpuCores: generator, rssMb: generator.map(() => 90) },
    ],
    missing: [],
  };
  return { path: `${o.seed}.json`, result };
}

describe('a comparison reads the host load of both runs', () => {
  it('measures other processes as host busy less the run’s components, over the steady window', () => {
    const h = hostLoad(withHost({ seed: 1 }, 0.8, 0.05).result, withHost({ seed: 2 }, 0.8, 0.9).result)!;
    expect(h.baselineCores).toBeCloseTo(0.05, 3);
    expect(h.candidateCores).toBeCloseTo(0.9, 3);
    expect(h).toMatchObject({ hostCores: 2, margin: 0.25, busier: 'candidate' });
    expect(marginFor(64)).toBeCloseTo(6.4);
    // Below the margin: the same host, whatever the runs' own CPU did.
    expect(hostLoad(withHost({ seed: 1 }, 0.5, 0.05).result, withHost({ seed: 2 }, 1.4, 0.2).result)!.busier).toBeNull();
    expect(hostLoad(syntheticResult({ seed: 1 }), syntheticResult({ seed: 2 }))).toBeNull();
  });

  it('a server on loopback that the run did not sample is not "other": no host comparison; a remote one is', () => {
    const unsampled = (seed: number, address: string) => {
      const r = withHost({ seed }, 0.8, 0.05).result;
      r.resources!.components = r.resources!.components.filter((c) => c.kind !== 'temporal');
      r.environment.address = address;
      return r;
    };
    expect(hostLoad(unsampled(1, '127.0.0.1:7233'), withHost({ seed: 2 }, 0.8, 0.05).result)).toBeNull();
    expect(hostLoad(unsampled(1, 'localhost:7233'), unsampled(2, '[::1]:7233'))).toBeNull();
    // Against a cluster the server is elsewhere: the host's unnamed CPU is other processes (0.05 + the dropped 0.48 here).
    expect(hostLoad(unsampled(1, 'temporal.pnats.cloud:7233'), unsampled(2, '10.0.0.7:7233'))!.baselineCores).toBeCloseTo(0.53, 2);
  });

  it('a regression beside a busier candidate host is inconclusive (exit 98) and says why', () => {
    const c = compareResults(withHost({ seed: 1 }, 0.8, 0.05), withHost({ seed: 2, latencyScale: 1.3 }, 0.8, 1.0));
    expect(c.metrics.find((m) => m.id === 'e2e.p50')!.verdict).toBe('regressed');
    expect(c.verdict).toBe('inconclusive');
    expect(exitCodeFor(c)).toBe(98);
    expect(c.warnings.join('\n')).toMatch(/other processes on the host \(not these runs\) used 1 cores during the candidate and 0\.05 cores during the baseline/);
    const md = renderComparisonMarkdown(c);
    expect(md).toContain('## bench compare: 🟡 inconclusive (hosts differed)');
    expect(md).toContain('re-run both on a quiet host');
  });

  it('the busier side matters: a regression beside a busier baseline still fails, an improvement beside it is inconclusive', () => {
    const regressed = compareResults(withHost({ seed: 1 }, 0.8, 1.0), withHost({ seed: 2, latencyScale: 1.3 }, 0.8, 0.05));
    expect(regressed.verdict).toBe('regressed');
    expect(exitCodeFor(regressed)).toBe(99);
    expect(regressed.hostLoad!.busier).toBe('baseline');
    const improved = compareResults(withHost({ seed: 3, latencyScale: 1.3 }, 0.8, 1.0), withHost({ seed: 4 }, 0.8, 0.05));
    expect(improved.verdict).toBe('inconclusive');
    expect(exitCodeFor(improved)).toBe(98);
  });

  it('identical hosts change nothing: a regression is a regression, and no warning', () => {
    const c = compareResults(withHost({ seed: 1 }, 0.8, 0.05), withHost({ seed: 2, latencyScale: 1.3 }, 0.8, 0.1));
    expect(c.verdict).toBe('regressed');
    expect(c.hostLoad!.busier).toBeNull();
    expect(c.warnings).toEqual([]);
  });
});

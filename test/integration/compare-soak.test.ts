import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { compareResults } from '../../compare/compare.js';
import { gateAgainstBaseline } from '../../compare/gate.js';
import { loadLocated } from '../../compare/load.js';
import { renderComparisonMarkdown } from '../../compare/markdown.js';
import { writeDrift } from '../../soak/write.js';
import { runCli } from '../helpers/cli.js';
import { readResult, scratch, startBenchRun } from './run-helpers.js';

/**
 * The regression gate and the soak analysis on real runs against the shared stack. Lean on purpose
 * (2 shared cores): a warm-up, four 15-s runs and one 2-minute soak, all at 5/s (at 20/s the shared box queues: e2e grows to seconds and runs are not steady).
 */
const stack = inject('stack');
const root = scratch('compare');

function scenario(file: string, sleepMs: number): string {
  const config = {
    name: 'gate-check',
    description: 'one activity that sleeps; the candidate sleeps 100 ms longer',
    executor: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '15s' },
    mix: [{ kind: 'activity', input: { call: { name: 'sleep', ms: sleepMs } } }],
    warmup: '3s',
  };
  const p = path.join(root, file);
  fs.writeFileSync(p, JSON.stringify(config));
  return p;
}

/**
 * 98: the shared 2-core machine starved the generator (the comparison warns); 99 where thresholds may fail.
 * --stack-dir names the stack's processes, so that only processes outside the run count as the host's other load.
 */
async function run(name: string, args: string[], codes = [0, 98]): Promise<string> {
  const out = path.join(root, name);
  const { code, stderr } = await startBenchRun(['--address', stack.frontendAddress, '--stack-dir', stack.dir, '--out', out, ...args]).done;
  expect(codes, stderr.split('\n').slice(-5).join('\n')).toContain(code);
  return out;
}

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * The gate's settings for this host, above the run-to-run variation measured on it (see below): a
 * latency change counts when it is beyond 40% and beyond 10 ms.
 */
const gateForThisHost = { latency: 0.4, latencyFloorMs: 10 };

describe('bench compare on real runs', () => {
  const fast = scenario('fast.json', 20);
  const slow = scenario('slow.json', 120);
  const dirs: Record<string, string> = {};

  it('the same configuration three times: every pair is unchanged', async () => {
    // A fresh stack is cold (shard ownership, caches, connections): the first run is 10x slower. A
    // warm-up run, discarded, is part of any honest baseline.
    await run('warmup', ['--config', fast, '--duration', '15s', '--warmup', '2s']);
    for (const name of ['base', 'same1', 'same2']) dirs[name] = await run(name, ['--config', fast]);
    for (const [a, b] of [
      ['base', 'same1'],
      ['same1', 'same2'],
      ['base', 'same2'],
    ] as const) {
      // The bootstrap sees noise within a run; between back-to-back identical runs on this shared
      // 2-core box whole-run figures themselves move: e2e p50 by up to 26% (116 → 86 ms) and start
      // p50 by up to 45% but < 7 ms (14.6 → 21.1 ms, a PostgreSQL-bound RPC). The tolerance and floor
      // are the user's statement of what change matters. +50 ms of activity moved e2e p50 by only
      // +35–70% here, too close to that noise for single 15-s runs; +100 ms is ~+100%.
      // p99 of these 75-sample runs is their max and is not judged (it moved 12.8 → 30.4 ms in CI).
      const c = compareResults(loadLocated(dirs[a]!, 'baseline'), loadLocated(dirs[b]!, 'candidate'), { tolerances: gateForThisHost });
      const table = `${a} → ${b}:\n${renderComparisonMarkdown(c)}`;
      // Both runs measured their host: the CPU of processes outside the run is known for each.
      expect(c.hostLoad, table).not.toBeNull();
      // When something else on this shared box (another test suite) loaded one run's host, the comparison
      // must call a move towards it inconclusive (exit 98), never a regression of the code.
      if (c.hostLoad!.busier) {
        expect(['unchanged', 'improved', 'inconclusive'], table).toContain(c.verdict);
        continue;
      }
      expect(c.verdict, table).not.toBe('regressed');
      expect(
        c.metrics.filter((m) => m.verdict !== 'unchanged').map((m) => m.id),
        table,
      ).toEqual([]);
    }
  }, 240_000);

  it('+100 ms activity sleep is regressed: bench compare exits 99, the gate function agrees', async () => {
    dirs.slow = await run('slow', ['--config', slow]);
    // Against the newest identical run, the one next to it in time: the first after the warm-up still
    // ran ~10 ms slower in e2e p50 in 2 of 3 local tries.
    const flags = ['--tolerance', String(gateForThisHost.latency * 100), '--latency-floor', String(gateForThisHost.latencyFloorMs)];
    const r = await runCli(['compare', dirs.same2!, dirs.slow, '--format', 'json', ...flags]);
    expect(r.code, r.stderr).toBe(99);
    const c = JSON.parse(r.stdout);
    const e2e = c.metrics.find((m: { id: string }) => m.id === 'e2e.p50');
    expect(e2e.verdict).toBe('regressed');
    expect(e2e.candidate - e2e.baseline).toBeGreaterThan(70);
    const gate = gateAgainstBaseline(dirs.slow, path.join(dirs.same2!, 'result.json'), { tolerances: gateForThisHost });
    expect(gate).toMatchObject({ verdict: 'regressed', exitCode: 99 });
    expect(fs.readFileSync(path.join(dirs.slow, 'compare.md'), 'utf8')).toContain('regressed');
  }, 120_000);
});

describe('soak drift on a real run', () => {
  it('a 2-minute soak with 30-s windows produces drift statistics', async () => {
    // 5/s keeps the 2 shared cores usable; the soak's own thresholds may fail here (exit 99): the drift
    // statistics are what this test checks.
    const out = await run('soak', ['--scenario', 'soak', '--rps', '5', '--duration', '130s', '--warmup', '10s', '--cooldown', '0s'], [0, 98, 99]);
    const r = readResult(out);
    const { report, markdown } = writeDrift(out, { windowS: 30 });
    expect(report.windows.length).toBe(4);
    for (const w of report.windows) {
      expect(w.throughput!).toBeGreaterThan(4);
      expect(w.throughput!).toBeLessThan(6);
      expect(w.startP99Ms!).toBeGreaterThan(0);
      expect(w.e2eP99Ms!).toBeGreaterThan(0);
      expect(w.generatorRssMb!).toBeGreaterThan(20);
    }
    const series = report.trends.map((t) => t.series);
    expect(series).toEqual(expect.arrayContaining(['throughput (starts/s)', 'start p99 (ms)', 'e2e p99 (ms)', 'generator RSS (MB)']));
    for (const t of report.trends) expect(t.pValue).toBeGreaterThan(0);
    expect(['stable', 'drift']).toContain(report.verdict);
    expect(report.runId).toBe(r.runId);
    expect(markdown).toContain('## Soak drift');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'drift.json'), 'utf8')).windows).toHaveLength(4);
  }, 240_000);
});

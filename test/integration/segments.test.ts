import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { decodeHistogram, type Histogram } from '../../metrics/histogram.js';
import type { ResultFile } from '../../recorder/result-schema.js';
import { startWorkerCli } from '../helpers/bench-worker-cli.js';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { hlogCounts, readResult, scratch, startBenchRun } from './run-helpers.js';

const stack = inject('stack');
const require = createRequire(import.meta.url);
// The standard iterator over every recorded value (HdrHistogram's own), to read the samples back.
const RecordedValuesIterator = require('hdr-histogram-js/dist/RecordedValuesIterator.js').default as new (
  h: Histogram,
) => {
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
};

/** p99 of the samples of several histograms taken together, by nearest rank over their recorded values. */
function p99OfSamples(histograms: Histogram[]): number {
  const values: [number, number][] = [];
  for (const h of histograms)
    for (const it = new RecordedValuesIterator(h); it.hasNext(); ) {
      const v = it.next();
      values.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
    }
  values.sort((a, b) => a[0] - b[0]);
  const total = values.reduce((n, [, c]) => n + c, 0);
  const rank = Math.ceil(0.99 * total);
  let seen = 0;
  for (const [value, count] of values) if ((seen += count) >= rank) return Math.round(value) / 1000;
  throw new Error('no samples');
}

const rps = 15;
const durationS = 30;

/**
 * A run split into 3 execution segments, each its own `bench run` process with its own workers on the
 * run's task queue (a self-contained pod of an Indexed Job), started together with --start-at, then
 * merged: exactly one run's worth of starts, each segment a third, every completion counted once.
 */
describe('segmented runs merge exactly', () => {
  it('3 segments at 15/s for 30 s: rate, shares, e2e = reconciled completed, merged p99 = p99 of all samples', async () => {
    const dir = scratch('segments');
    const runId = `seg-${Date.now().toString(36)}`;
    // Far enough ahead for three coordinators, generators and worker pools to start on two cores.
    const startAt = new Date(Date.now() + 40_000).toISOString();
    const runs = [0, 1, 2].map((i) =>
      startBenchRun(['--address', stack.frontendAddress, '--run-id', runId, '--segment', `${i}/3`, '--start-at', startAt, '--rps', String(rps), '--duration', `${durationS}s`, '--workers', '1', '--out', path.join(dir, `s${i}`)]),
    );
    const done = await Promise.all(runs.map((r) => r.done));
    const segments = [0, 1, 2].map((i) => readResult(path.join(dir, `s${i}`)));
    for (const [i, d] of done.entries()) {
      // 98 only when this 2-core box starved a generator: the segment says why, and the merge must too.
      expect([0, 98], d.stderr).toContain(d.code);
      expect(segments[i]!.segment).toMatchObject({ index: i, count: 3 });
    }

    const merged = await runCli(['merge', ...[0, 1, 2].map((i) => path.join(dir, `s${i}`)), '--out', path.join(dir, 'merged')], { timeoutMs: 180_000 });
    const r: ResultFile = readResult(path.join(dir, 'merged'));
    const s = r.summary;
    if (done.every((d) => d.code === 0) && !r.merged!.clockSkewMs) expect(merged.code, merged.stderr).toBe(0);
    expect(s.targetStarts).toBe(rps * durationS);
    expect(Math.abs(s.achievedRate - rps) / rps).toBeLessThanOrEqual(0.02);
    for (const seg of r.merged!.segments) expect(Math.abs(seg.startedOk / s.startedOk - 1 / 3)).toBeLessThanOrEqual(0.02);
    // Every workflow id is one segment's: the counts add up, and visibility accounts for each.
    expect(s.startedOk).toBe(segments.reduce((n, g) => n + g.summary.startedOk, 0));
    expect(s.reconciliation).toMatchObject({ unaccounted: 0, running: 0 });
    // Each completion reached exactly one segment's workers, and was pulled by it.
    expect(hlogCounts(path.join(dir, 'merged', r.hlogFile!)).e2e).toBe(s.reconciliation!.completed);
    expect(s.reconciliation!.completed).toBe(s.startedOk);
    // The merged percentile is that of every sample, not an average of the segments' percentiles.
    const starts = segments.map((g) => decodeHistogram(g.histograms.start!));
    expect(s.latencyMs.start!.p99).toBe(p99OfSamples(starts));
    expect(s.latencyMs.start!.count).toBe(segments.reduce((n, g) => n + g.summary.latencyMs.start!.count, 0));
    expect(fs.existsSync(path.join(dir, 'merged', 'report.html'))).toBe(true);
    // A merged result reads like any other.
    const report = await runCli(['report', path.join(dir, 'merged')]);
    expect(report.code, report.stderr).toBe(0);
  }, 400_000);

  it('a shared worker pool pulled by segment 0 only: every completion counted once', async () => {
    const dir = scratch('segments-shared');
    const runId = `segsh-${Date.now().toString(36)}`;
    const worker = await startWorkerCli(['--address', stack.frontendAddress, '--task-queue', `bench-${runId}`, '--processes', '1', '--linger', '0s']);
    try {
      const startAt = new Date(Date.now() + 25_000).toISOString();
      const runs = [0, 1].map((i) =>
        startBenchRun([
          '--address',
          stack.frontendAddress,
          '--run-id',
          runId,
          '--segment',
          `${i}/2`,
          '--start-at',
          startAt,
          '--rps',
          '10',
          '--duration',
          '15s',
          '--workers',
          '0',
          '--worker-stats',
          worker.info.statsUrl,
          '--out',
          path.join(dir, `s${i}`),
        ]),
      );
      for (const d of await Promise.all(runs.map((r) => r.done))) expect([0, 98], d.stderr).toContain(d.code);
      // Only segment 0 pulled the shared pool (--collect-e2e defaults to segment 0)...
      const [s0, s1] = [0, 1].map((i) => readResult(path.join(dir, `s${i}`)));
      expect(hlogCounts(path.join(dir, 's1', s1!.hlogFile!)).e2e ?? 0).toBe(0);
      expect(hlogCounts(path.join(dir, 's0', s0!.hlogFile!)).e2e).toBeGreaterThan(s0!.summary.startedOk);
      const merged = await runCli(['merge', path.join(dir, 's0'), path.join(dir, 's1'), '--out', path.join(dir, 'merged')], { timeoutMs: 180_000 });
      expect([0, 98], merged.stderr).toContain(merged.code);
      const r = readResult(path.join(dir, 'merged'));
      // ...and it holds every workflow of both segments, each once.
      expect(r.summary.reconciliation).toMatchObject({ unaccounted: 0, running: 0, completed: r.summary.startedOk });
      expect(hlogCounts(path.join(dir, 'merged', r.hlogFile!)).e2e).toBe(r.summary.reconciliation!.completed);
    } finally {
      await worker.interrupt();
    }
  }, 300_000);

  it('bad segment flags and merge inputs exit 2 with one line and write nothing', async () => {
    const dir = scratch('segments-bad');
    const out = path.join(dir, 'out');
    const base = ['run', '--address', stack.frontendAddress, '--run-id', 'bad-seg', '--rps', '1', '--duration', '2s', '--out', out];
    for (const [flag, value, pattern] of [
      ['--segment', '3/2', /--segment "3\/2"/],
      ['--segment', '0/0', /--segment "0\/0"/],
      ['--segment', 'a/b', /--segment "a\/b"/],
      ['--start-at', 'tomorrow', /--start-at "tomorrow"/],
    ] as const) {
      expect(expectOneLineUsageError(await runCli([...base, flag, value]))).toMatch(pattern);
      expect(fs.existsSync(out)).toBe(false);
    }
    // Two small real segments of two different runs, to merge wrongly.
    const seg = (runId: string, i: number, n: number) => ['run', '--address', stack.frontendAddress, '--run-id', runId, '--segment', `${i}/${n}`, '--rps', '2', '--duration', '2s', '--out', path.join(dir, `${runId}-${i}`)];
    for (const args of [seg('m-a', 0, 2), seg('m-b', 1, 2)]) expect([0, 98]).toContain((await runCli(args, { timeoutMs: 120_000 })).code);
    const a0 = path.join(dir, 'm-a-0');
    const b1 = path.join(dir, 'm-b-1');
    const merge = (...dirs: string[]) => runCli(['merge', ...dirs, '--out', out]);
    expect(expectOneLineUsageError(await merge(a0))).toMatch(/at least two segments/);
    expect(expectOneLineUsageError(await merge(a0, b1))).toMatch(/from run m-(a|b)/);
    expect(expectOneLineUsageError(await merge(a0, a0))).toMatch(/segment 0\/2 given twice/);
    expect(expectOneLineUsageError(await merge(a0, path.join(dir, 'nowhere')))).toMatch(/not found/);
    expect(fs.existsSync(out)).toBe(false);
  }, 300_000);
});

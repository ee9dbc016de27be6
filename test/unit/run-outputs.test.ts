import { describe, expect, it } from 'vitest';
import { bestEffort, RunOutputs, type FinishedRun, type RunOutput } from '../../runner/output.js';
import type { ResultFile } from '../../recorder/result-schema.js';

const run: FinishedRun = { outDir: '/tmp/x', result: {} as ResultFile, serverMetrics: async () => ({}) };

/** A fake output that records its hooks in `calls`; `code` is what its finish returns. */
function fake(name: string, calls: string[], code?: number, fail?: 'finish' | 'close'): RunOutput {
  const hook = (h: string) => () => {
    calls.push(`${name}.${h}`);
    if (fail === h) throw new Error(`${name} broke\nstack line`);
  };
  return { name, start: hook('start'), tick: hook('tick'), stop: hook('stop'), close: hook('close'), finish: () => (hook('finish')(), code) };
}

describe('RunOutputs', () => {
  it('runs every hook in list order, ticks only between start and stop, and closes newest first', async () => {
    const calls: string[] = [];
    const outputs = new RunOutputs([fake('result', calls), fake('summary', calls), fake('report', calls)], () => {});
    outputs.tick();
    await outputs.start();
    outputs.tick();
    outputs.stop();
    outputs.tick();
    await outputs.finish(run, 0);
    await outputs.close();
    expect(calls).toEqual([
      'result.start',
      'summary.start',
      'report.start',
      'result.tick',
      'summary.tick',
      'report.tick',
      'result.stop',
      'summary.stop',
      'report.stop',
      'result.finish',
      'summary.finish',
      'report.finish',
      'report.close',
      'summary.close',
      'result.close',
    ]);
  });

  it("the run's verdict outranks an output's exit code, and an earlier output's a later one's", async () => {
    const calls: string[] = [];
    const outputs = (...codes: (number | undefined)[]) =>
      new RunOutputs(
        codes.map((c, i) => fake(`o${i}`, calls, c)),
        () => {},
      );
    expect(await outputs(undefined, 99).finish(run, 98)).toBe(98); // invalid run beats the gate's 99
    expect(await outputs(undefined, 99).finish(run, 99)).toBe(99);
    expect(await outputs(undefined, 99).finish(run, 0)).toBe(99); // the gate's 99 when the run passed
    expect(await outputs(3, 99).finish(run, 0)).toBe(3);
    expect(await outputs(undefined, 0).finish(run, 0)).toBe(0);
  });

  it('a best-effort output that fails is one log line, and the outputs after it still run', async () => {
    const calls: string[] = [];
    const lines: string[] = [];
    const outputs = new RunOutputs([bestEffort(fake('report', calls, 99, 'finish'), (l) => lines.push(l)), fake('gate', calls, 99)], () => {});
    expect(await outputs.finish(run, 0)).toBe(99);
    expect(lines).toEqual(['report: report broke']);
    expect(calls).toEqual(['report.finish', 'gate.finish']);
  });

  it('a plain output that fails fails the run', async () => {
    await expect(new RunOutputs([fake('result', [], 0, 'finish')], () => {}).finish(run, 0)).rejects.toThrow('result broke');
  });

  it('one failing close is logged and the others still close', async () => {
    const calls: string[] = [];
    const lines: string[] = [];
    await new RunOutputs([fake('a', calls), fake('b', calls, 0, 'close')], (l) => lines.push(l)).close();
    expect(calls).toEqual(['b.close', 'a.close']);
    expect(lines).toEqual(['cleanup: b broke\nstack line']);
  });
});

import { describe, expect, it } from 'vitest';
import { resolveMix, WorkloadMix, type ResolvedEntry } from '../../schedule/workload.js';

const entry = (tag: string, weight: number): ResolvedEntry => ({ tag, kind: 'program', workflowType: tag, args: [], weight, interactions: [] });

describe('the workload mix', () => {
  it('gives every window of consecutive arrivals its weight share within a few starts (60/30/10 over 360 and over 60)', () => {
    const mix = new WorkloadMix([entry('a', 6), entry('b', 3), entry('c', 1)]);
    for (const [from, n] of [
      [0, 360],
      [1000, 60],
      [77, 720],
    ] as const) {
      const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
      for (let i = from; i < from + n; i++) counts[mix.pick(i).tag]!++;
      expect(Math.abs(counts.a! - n * 0.6)).toBeLessThanOrEqual(3);
      expect(Math.abs(counts.b! - n * 0.3)).toBeLessThanOrEqual(3);
      expect(Math.abs(counts.c! - n * 0.1)).toBeLessThanOrEqual(3);
    }
  });

  it('is a function of the arrival number: generators owning every N-th arrival start the mix one would', () => {
    const mix = new WorkloadMix([entry('a', 2), entry('b', 1)]);
    const one = Array.from({ length: 300 }, (_, i) => mix.pick(i).tag);
    const three = Array.from({ length: 300 }, (_, i) => new WorkloadMix(mix.entries).pick(i).tag);
    expect(three).toEqual(one);
  });

  it('starts a program under a profiled type name (workflowType), and refuses the name on any other kind', () => {
    const resolve = (kind: string) => ({ workflowType: `${kind}Workflow`, args: [] });
    expect(resolveMix([{ kind: 'program', workflowType: 'OrderWorkflow' }], resolve)[0]!.workflowType).toBe('OrderWorkflow');
    expect(resolveMix([{ kind: 'program' }], resolve)[0]!.workflowType).toBe('programWorkflow');
    expect(() => resolveMix([{ kind: 'activity', workflowType: 'OrderWorkflow' }], resolve)).toThrow(/workflowType is for kind program only/);
  });
});

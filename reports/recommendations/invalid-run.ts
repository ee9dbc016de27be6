import type { Evidence, Rule } from './types.js';

/** Event-loop delay p99 above this (ms) means the generator itself was late. */
export const eventLoopLimitMs = 50;

/** The generator could not hold the rate: the run measures the generator, not the server. */
export const invalidRun: Rule = {
  id: 'invalid-run',
  symptom: 'summary.valid is false (generator saturated, dropped starts, event-loop delay)',
  evaluate({ result }) {
    if (result.summary.valid) return null;
    const steady = result.timeline.filter((i) => i.phase === 'steady');
    const loopP99 = Math.max(0, ...steady.map((i) => i.generator.eventLoopDelayP99Ms));
    const cpu = Math.max(0, ...steady.map((i) => i.generator.cpuPercent));
    const ev: Evidence[] = [{ metric: 'starts achieved vs target', observed: result.summary.achievedRate, limit: result.summary.targetRate, unit: '/s', stat: 'steady mean' }];
    if (result.summary.dropped > 0) ev.push({ metric: 'dropped starts', observed: result.summary.dropped, limit: 0, unit: 'starts', stat: 'total' });
    if (loopP99 > eventLoopLimitMs) ev.push({ metric: 'generator event-loop delay p99', observed: loopP99, limit: eventLoopLimitMs, unit: 'ms', stat: 'peak' });
    if (cpu > 0) ev.push({ metric: 'generator CPU', observed: cpu, limit: 100, unit: '%', stat: 'peak' });
    return {
      rule: this.id,
      title: 'Run is invalid: the generator could not hold the rate',
      knob: 'generator: --generators, in-flight cap, a bigger host',
      action: `Fix the generator before reading server numbers (${result.summary.invalidReasons.join('; ') || 'no reason recorded'}). Add generator processes or lower the rate.`,
      confidence: 'high',
      // Always ranks first: nothing else in an invalid run is trustworthy.
      score: 100,
      evidence: ev,
    };
  },
};

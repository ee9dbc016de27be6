import { describe, expect, it } from 'vitest';
import { dueAt, HealthMonitor } from '../../generator/health.js';

describe('generator health: event-loop delay from its own timers', () => {
  it('is the p99 and max of how late the timers fired since the last sample, then starts over', () => {
    const health = new HealthMonitor();
    // 100 wake-ups: 98 on time (or a hair early, which counts as 0), one 40 ms late, one 250 ms late.
    for (let i = 0; i < 98; i++) health.observe(1000 + i, 1000 + i + (i % 2 ? 0.5 : -0.2));
    health.observe(2000, 2040);
    health.observe(3000, 3250);
    const first = health.sample();
    expect(first.eventLoopDelayP99Ms).toBe(40);
    expect(first.eventLoopDelayMaxMs).toBe(250);
    // Nothing observed since: an idle second reads 0, not the last second's figures.
    const idle = health.sample();
    expect(idle.eventLoopDelayP99Ms).toBe(0);
    expect(idle.eventLoopDelayMaxMs).toBe(0);
  });

  it('a timer set for 0 ms is due after 1 ms, as node fires it', () => {
    expect(dueAt(0, 100)).toBe(101);
    expect(dueAt(7, 100)).toBe(107);
  });
});

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { GeneratorHealth } from './interval-recorder.js';

/**
 * Watches the generator process itself: event-loop delay (a saturated loop delays every start),
 * CPU and RSS. `sample()` returns the figures since the previous sample.
 */
export class HealthMonitor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  private cpu = process.cpuUsage();
  private at = performance.now();

  constructor() {
    this.loop.enable();
  }

  sample(): GeneratorHealth {
    const now = performance.now();
    const cpu = process.cpuUsage(this.cpu);
    const elapsedMs = Math.max(1, now - this.at);
    // The histogram includes the monitor's own resolution as delay; subtract it so idle reads ~0.
    const ns = (p: number) => Math.max(0, (this.loop.count ? this.loop.percentile(p) : 0) / 1e6 - 5);
    const health: GeneratorHealth = {
      eventLoopDelayP99Ms: round(ns(99)),
      eventLoopDelayMaxMs: round(Math.max(0, (this.loop.count ? this.loop.max : 0) / 1e6 - 5)),
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
      rssMb: round(process.memoryUsage.rss() / 1048576),
    };
    this.loop.reset();
    this.cpu = process.cpuUsage();
    this.at = now;
    return health;
  }

  /** Total CPU seconds this process used so far (for starts per CPU-second). */
  static cpuSeconds(): number {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }

  stop(): void {
    this.loop.disable();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

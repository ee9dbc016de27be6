import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { GeneratorHealth } from './interval-recorder.js';

/**
 * The loop monitor's sampling interval (ms). Each sample is a libuv timer wake-up: at 5 ms the monitor
 * alone cost ~15 ms of CPU a second on the project machine, at 20 ms ~5 (an idle Node process: 0.3),
 * a fixed cost that dominated the harness's CPU per start at low rates. Every start's own scheduling
 * lag is measured exactly anyway; this is the diagnosis of a late loop, and 50 samples a second still
 * catch any stall long enough to matter.
 */
export const LOOP_SAMPLE_MS = 20;

/**
 * Watches the generator process itself: event-loop delay (a saturated loop delays every start),
 * CPU and RSS. `sample()` returns the figures since the previous sample.
 */
export class HealthMonitor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
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
    const ns = (p: number) => Math.max(0, (this.loop.count ? this.loop.percentile(p) : 0) / 1e6 - LOOP_SAMPLE_MS);
    const health: GeneratorHealth = {
      eventLoopDelayP99Ms: round(ns(99)),
      eventLoopDelayMaxMs: round(Math.max(0, (this.loop.count ? this.loop.max : 0) / 1e6 - LOOP_SAMPLE_MS)),
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

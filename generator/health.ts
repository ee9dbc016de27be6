import type { GeneratorHealth } from './interval-recorder.js';

/**
 * Watches the generator process itself: event-loop delay (a saturated loop delays every start),
 * CPU and RSS. `sample()` returns the figures since the previous sample.
 *
 * The loop delay is the lateness of the generator's own timers (each arrival's wake-up, the
 * per-second report), observed as they fire: the same quantity node's monitorEventLoopDelay
 * measures with a timer of its own, without that timer's wake-ups. At a 20-ms resolution those cost
 * ~2.5 ms of CPU a second on an idle process and more on a busy one, a fixed cost that dominated the
 * harness's CPU per start at low rates; the generator's timers fire at least once a second and once
 * per arrival, so at any rate that matters there are more samples than the monitor took.
 */
export class HealthMonitor {
  private lateness: number[] = [];
  private cpu = process.cpuUsage();
  private at = performance.now();

  /** A timer due at `duePerf` fired now: the loop was this late. */
  observe(duePerf: number, nowPerf = performance.now()): void {
    this.lateness.push(Math.max(0, nowPerf - duePerf));
  }

  sample(): GeneratorHealth {
    const now = performance.now();
    const cpu = process.cpuUsage(this.cpu);
    const elapsedMs = Math.max(1, now - this.at);
    const late = this.lateness.sort((a, b) => a - b);
    const health: GeneratorHealth = {
      eventLoopDelayP99Ms: round(late.length ? late[Math.ceil(0.99 * late.length) - 1]! : 0),
      eventLoopDelayMaxMs: round(late.at(-1) ?? 0),
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
      rssMb: round(process.memoryUsage.rss() / 1048576),
    };
    this.lateness = [];
    this.cpu = process.cpuUsage();
    this.at = now;
    return health;
  }

  /** Total CPU seconds this process used so far (for starts per CPU-second). */
  static cpuSeconds(): number {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

/** When a `setTimeout(fn, delayMs)` set now is due: node fires no timer sooner than 1 ms. */
export function dueAt(delayMs: number, nowPerf = performance.now()): number {
  return nowPerf + Math.max(1, delayMs);
}

const round = (x: number) => Math.round(x * 100) / 100;

import { writeResultFile } from '../recorder/result-file.js';
import { thresholdData } from '../recorder/summary.js';
import { evaluateThresholds, type ParsedThreshold } from '../recorder/thresholds.js';
import type { Interrupts } from './interrupts.js';
import type { LiveView } from './live-view.js';
import { nowEpoch, type RunContext } from './run-context.js';
import type { RunRecord } from './run-record.js';

/**
 * The run's 1-s loop: pull end-to-end latencies from the workers, redraw the live view, append the
 * .hlog every 4 s, check abortOnFail thresholds, and rewrite result.json every 10 s or more. One
 * tick at a time; `tick()` is also called directly while draining and at the end.
 */
export class RunLoop {
  private polling = false;
  private readonly reportedProblems = new Set<string>();
  private lastHlogFlush = Date.now();
  private lastFlush = Date.now();
  // result.json grows with the run (one record a second): rewriting it every few seconds would cost a
  // long soak more and more CPU. Every 10 s at least, and the gap grows so writing takes at most 2 % of
  // the coordinator's time; the .hlog (every interval's histograms) is appended every 4 s regardless.
  private flushGapMs = 10_000;
  private readonly timer: NodeJS.Timeout;
  private readonly abortThresholds: ParsedThreshold[];

  constructor(
    private readonly ctx: RunContext,
    private readonly record: RunRecord,
    private readonly live: LiveView,
    private readonly interrupts: Interrupts,
  ) {
    this.abortThresholds = ctx.plan.thresholds.filter((t) => t.abortOnFail);
    this.timer = setInterval(() => void this.tick(), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { e2e, timeline: tl, hlog } = this.ctx;
      const { intervals, problems } = await e2e.poll();
      tl.addE2E(intervals);
      // Each distinct problem once (an unreachable pod, a DNS failure): visible, not repeated every second.
      for (const p of problems.filter((p) => !this.reportedProblems.has(p))) {
        this.reportedProblems.add(p);
        this.live.note(`worker stats: ${p}`);
      }
      this.live.update(tl.latestComplete(), '', tl.latestWithE2E());
      if (Date.now() - this.lastHlogFlush < 4000) return;
      hlog.flush();
      this.lastHlogFlush = Date.now();
      this.checkAbortThresholds();
      if (Date.now() - this.lastFlush < this.flushGapMs) return;
      const flushStart = performance.now();
      writeResultFile(this.ctx.plan.outDir, this.record.result());
      this.lastFlush = Date.now();
      this.flushGapMs = Math.max(10_000, 50 * (performance.now() - flushStart));
    } finally {
      this.polling = false;
    }
  }

  /** An abortOnFail threshold that fails after its delay stops the run like a first Ctrl-C. */
  private checkAbortThresholds(): void {
    const { plan, t0Epoch, timeline } = this.ctx;
    const { abortThresholds } = this;
    const elapsedS = (nowEpoch() - t0Epoch) / 1000;
    if (!abortThresholds.length || this.interrupts.count > 0 || elapsedS <= plan.warmupS) return;
    const results = evaluateThresholds(abortThresholds.filter((t) => elapsedS - plan.warmupS >= t.delayAbortEvalMs / 1000), thresholdData(timeline, this.record.tags));
    const failed = results.find((r) => !r.ok && r.value !== null);
    if (failed) {
      this.live.note(`threshold ${failed.metric} ${failed.expression} failed (value ${failed.value}) with abortOnFail: stopping`);
      this.interrupts.fire();
    }
  }
}

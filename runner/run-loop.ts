import { thresholdData } from '../recorder/summary.js';
import { evaluateThresholds, type ParsedThreshold } from '../recorder/thresholds.js';
import type { Interrupts } from './interrupts.js';
import type { RunOutputs } from './output.js';
import { nowEpoch, type RunContext } from './run-context.js';

/**
 * The run's 1-s loop: pull end-to-end latencies from the workers into the timeline, tick the outputs
 * (live view, .hlog, result.json: each keeps its own pace), and every 4 s check the abortOnFail
 * thresholds. One tick at a time; `tick()` is also called directly while draining and at the end.
 */
export class RunLoop {
  private polling = false;
  private readonly reportedProblems = new Set<string>();
  private lastAbortCheck = Date.now();
  private readonly timer: NodeJS.Timeout;
  private readonly abortThresholds: ParsedThreshold[];

  constructor(
    private readonly ctx: RunContext,
    private readonly outputs: RunOutputs,
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
      const { intervals, problems } = await this.ctx.e2e.poll();
      this.ctx.timeline.addE2E(intervals);
      // Each distinct problem once (an unreachable pod, a DNS failure): visible, not repeated every second.
      for (const p of problems.filter((p) => !this.reportedProblems.has(p))) {
        this.reportedProblems.add(p);
        this.ctx.note(`worker stats: ${p}`);
      }
      this.outputs.tick();
      if (Date.now() - this.lastAbortCheck < 4000) return;
      this.lastAbortCheck = Date.now();
      this.checkAbortThresholds();
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
    const tags = plan.mix.map((m) => m.tag);
    const results = evaluateThresholds(
      abortThresholds.filter((t) => elapsedS - plan.warmupS >= t.delayAbortEvalMs / 1000),
      thresholdData(timeline, tags),
    );
    const failed = results.find((r) => !r.ok && r.value !== null);
    if (failed) {
      this.ctx.note(`threshold ${failed.metric} ${failed.expression} failed (value ${failed.value}) with abortOnFail: stopping`);
      this.interrupts.fire();
    }
  }
}

import { isOpenModel, type ExecutorConfig } from '../scenarios/types.js';
import { ClosedModel, closedPlan } from './closed-model.js';
import { Dispatcher, type Starter } from './dispatcher.js';
import { dueAt, HealthMonitor } from './health.js';
import { IntervalRecorder, type IntervalSnapshot } from './interval-recorder.js';
import { OpenModel, type Overflow } from './open-model.js';
import { profileOf } from '../schedule/schedule.js';
import { WorkloadMix, type ResolvedEntry } from '../schedule/workload.js';

/** Everything one generator (in-process or a forked child) needs; plain data, sent over IPC. */
export interface GeneratorConfig {
  runId: string;
  shard: number;
  shards: number;
  /** The shared start of the schedule, epoch milliseconds (fractional): all processes use one t0. */
  t0Epoch: number;
  executor: ExecutorConfig;
  mix: ResolvedEntry[];
  executionTimeoutMs: number;
  inFlightCap: number;
  overflow: Overflow;
}

/** How long after a second ends its report goes: the arrivals due at its end are issued by then. */
const REPORT_AFTER_MS = 2;

/**
 * One load generator: the open or closed model, its dispatcher and recorder, and a watcher that
 * hands each finished 1-s interval to `onSnapshots` (the coordinator merges them).
 */
export class Generator {
  readonly recorder: IntervalRecorder;
  readonly dispatcher: Dispatcher;
  private readonly health = new HealthMonitor();
  private readonly model: OpenModel | ClosedModel;
  private watch: NodeJS.Timeout | undefined;
  private watchDue = 0;

  constructor(
    readonly config: GeneratorConfig,
    starter: Starter,
    private readonly onSnapshots: (snapshots: IntervalSnapshot[]) => void,
  ) {
    const t0Perf = config.t0Epoch - performance.timeOrigin;
    this.recorder = new IntervalRecorder(t0Perf);
    this.dispatcher = new Dispatcher(config.runId, starter, this.recorder, config.executionTimeoutMs);
    const mix = new WorkloadMix(config.mix);
    const e = config.executor;
    this.model = isOpenModel(e)
      ? new OpenModel(
          { profile: profileOf(e), shard: config.shard, shards: config.shards, t0Perf, inFlightCap: config.inFlightCap, overflow: config.overflow, onWake: (due, now) => this.health.observe(due, now) },
          this.dispatcher,
          mix,
          this.recorder,
        )
      : new ClosedModel(closedPlan(e), config.shard, config.shards, t0Perf, this.dispatcher, mix, this.recorder);
    if (this.model instanceof OpenModel) {
      const model = this.model;
      setTimeout(() => model.start(), Math.max(0, t0Perf - performance.now()));
    }
    this.armReport();
  }

  /**
   * Reports once a second, just after each second of intended time ends (its first report), with
   * every late outcome since the last report; again after 10 ms while an ended second cannot be
   * reported yet (its last arrivals are still being issued). A wake-up every 100 ms instead cost more
   * CPU than the starts at low rates.
   */
  private armReport(): void {
    const now = performance.now();
    const behind = this.recorder.unreported(now) > 0;
    const delay = behind ? 10 : Math.ceil(this.recorder.intervalEndAt(now) + REPORT_AFTER_MS - now);
    this.watchDue = dueAt(delay, now);
    this.watch = setTimeout(this.onReportTimer, delay);
  }

  private onReportTimer = (): void => {
    const now = performance.now();
    this.health.observe(this.watchDue, now);
    this.emit(false);
    this.armReport();
  };

  /** Resolves when the schedule (or the VUs) finished, or after stop(). In-flight calls may remain. */
  get loadFinished(): Promise<void> {
    return this.model.finished;
  }

  stop(): void {
    this.model.stop();
  }

  private emit(all: boolean): void {
    const now = performance.now();
    const issuedUntil = this.model instanceof OpenModel ? this.model.issuedUntilPerf : now;
    if (!all && !this.recorder.hasNews(now, issuedUntil)) return;
    const queued = this.model instanceof OpenModel ? this.model.queued : 0;
    const snapshots = this.recorder.take(now, this.dispatcher.inFlight, queued, this.health.sample(), issuedUntil, all);
    if (snapshots.length) this.onSnapshots(snapshots);
  }

  /** Stops waiting for in-flight calls (abort): finish() returns at once. */
  abandonDrain(): void {
    this.dispatcher.abandonWait();
  }

  /**
   * Waits for in-flight calls (up to timeoutMs), censors those still without an outcome, then emits
   * every remaining interval: each one final.
   */
  async finish(drainTimeoutMs: number): Promise<boolean> {
    const drained = await this.dispatcher.idle(drainTimeoutMs);
    this.dispatcher.censorOpenCalls();
    clearTimeout(this.watch);
    this.emit(true);
    return drained;
  }
}

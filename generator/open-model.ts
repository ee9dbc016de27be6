import type { Dispatcher } from './dispatcher.js';
import { dueAt } from './health.js';
import { intendedTime, type RateProfile } from '../schedule/schedule.js';
import type { IntervalRecorder } from './interval-recorder.js';
import type { WorkloadMix } from '../schedule/workload.js';

export type Overflow = 'drop' | 'queue';

export interface OpenModelOptions {
  profile: RateProfile;
  /** This generator owns arrivals n ≡ shard (mod shards): N processes interleave one schedule. */
  shard: number;
  shards: number;
  t0Perf: number;
  inFlightCap: number;
  overflow: Overflow;
  /** Each wake-up of the arrival timer, with when it was due (the generator's event-loop delay). */
  onWake?: (duePerf: number, nowPerf: number) => void;
}

/**
 * The open-model loop: each tick issues every arrival whose intended time has passed (a batch when
 * the timer fired late), then sleeps until the next intended time. Intended times come from t0 and
 * the profile, so late timers never shift later arrivals. At the in-flight cap an arrival is
 * dropped (counted) or queued (sent when a slot frees, latency still from its intended time).
 */
export class OpenModel {
  private next: number;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDue: number | undefined;
  private readonly queue: { n: number; intendedPerf: number }[] = [];
  private queueHead = 0;
  private done!: () => void;
  readonly finished = new Promise<void>((r) => (this.done = r));

  constructor(
    private readonly opts: OpenModelOptions,
    private readonly dispatcher: Dispatcher,
    private readonly mix: WorkloadMix,
    private readonly recorder: IntervalRecorder,
  ) {
    this.next = opts.shard;
  }

  /** Arrivals this generator issued or dropped so far (its share of the target). */
  get issued(): number {
    return Math.max(0, Math.ceil((this.next - this.opts.shard) / this.opts.shards));
  }

  /** The intended time of the next arrival this generator has not issued (Infinity once all are, or stopped). */
  get issuedUntilPerf(): number {
    if (this.stopped || this.next >= this.opts.profile.totalArrivals) return Infinity;
    return this.opts.t0Perf + intendedTime(this.opts.profile, this.next) * 1000;
  }

  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  start(): void {
    this.tick();
  }

  /** Stop issuing; queued arrivals are abandoned (counted as dropped). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const { n, intendedPerf } = this.queue[i]!;
      this.recorder.count(intendedPerf, 'dropped', { kind: this.mix.pick(n).tag });
      this.recorder.end(intendedPerf);
    }
    this.queue.length = this.queueHead = 0;
    this.done();
  }

  private tick = (): void => {
    if (this.stopped) return;
    const { profile, shards, t0Perf } = this.opts;
    const nowPerf = performance.now();
    if (this.timerDue !== undefined) this.opts.onWake?.(this.timerDue, nowPerf);
    const nowS = (nowPerf - t0Perf) / 1000;
    while (this.next < profile.totalArrivals) {
      const at = intendedTime(profile, this.next);
      if (at > nowS) break;
      this.arrive(this.next, t0Perf + at * 1000);
      this.next += shards;
    }
    if (this.next >= profile.totalArrivals) {
      this.finishWhenQueueEmpty();
      return;
    }
    const delay = Math.max(0, Math.floor(t0Perf + intendedTime(profile, this.next) * 1000 - performance.now()));
    this.timerDue = dueAt(delay);
    this.timer = setTimeout(this.tick, delay);
  };

  private arrive(n: number, intendedPerf: number): void {
    if (this.dispatcher.inFlight >= this.opts.inFlightCap) {
      if (this.opts.overflow === 'drop') {
        this.recorder.count(intendedPerf, 'dropped', { kind: this.mix.pick(n).tag });
        return;
      }
      // A queued arrival keeps its interval open until it is sent (or dropped at stop).
      this.recorder.begin(intendedPerf);
      this.queue.push({ n, intendedPerf });
      return;
    }
    this.send(n, intendedPerf);
  }

  private send(n: number, intendedPerf: number): void {
    void this.dispatcher.start(n, this.mix.pick(n), intendedPerf).finally(this.pump);
  }

  private pump = (): void => {
    while (this.queued > 0 && this.dispatcher.inFlight < this.opts.inFlightCap && !this.stopped) {
      const item = this.queue[this.queueHead++]!;
      if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      this.recorder.end(item.intendedPerf);
      this.send(item.n, item.intendedPerf);
    }
    if (this.next >= this.opts.profile.totalArrivals) this.finishWhenQueueEmpty();
  };

  private finishWhenQueueEmpty(): void {
    if (this.queued === 0) this.done();
  }
}

import { parseDurationMs, parsePositiveDurationMs } from '../scenarios/duration.js';
import type { ConstantVUs, PerVUIterations, SharedIterations } from '../scenarios/types.js';
import type { Dispatcher } from './dispatcher.js';
import type { IntervalRecorder } from './interval-recorder.js';
import type { WorkloadMix } from '../schedule/workload.js';
import { errorCode } from './start-client.js';

export type ClosedExecutor = ConstantVUs | SharedIterations | PerVUIterations;

/** The closed model's shape: how many VUs, until when, and how many iterations. */
export interface ClosedPlan {
  vus: number;
  durationS: number;
  /** Total iterations (shared) or per VU; undefined: loop until the duration ends. */
  iterations?: number;
  perVu: boolean;
}

export function closedPlan(e: ClosedExecutor): ClosedPlan {
  const vus = e.vus ?? 1;
  if (e.executor === 'constant-vus') return { vus, durationS: parsePositiveDurationMs(e.duration) / 1000, perVu: false };
  return { vus, durationS: parseDurationMs(e.maxDuration ?? '10m', 'maxDuration') / 1000, iterations: e.iterations ?? 1, perVu: e.executor === 'per-vu-iterations' };
}

/**
 * Closed model (k6 VU executors): each VU starts a workflow, waits for it to finish, and loops. It
 * measures throughput at a concurrency, not latency under a rate: the generator slows with the server.
 * VU v belongs to generator v mod shards; iteration k of a generator has id shard + k·shards.
 */
export class ClosedModel {
  private stopped = false;
  private counter = 0;
  private sharedLeft: number;
  readonly finished: Promise<void>;
  private resolveStop!: () => void;
  private readonly stopSignal = new Promise<void>((r) => (this.resolveStop = r));

  constructor(
    private readonly plan: ClosedPlan,
    private readonly shard: number,
    private readonly shards: number,
    private readonly t0Perf: number,
    private readonly dispatcher: Dispatcher,
    private readonly mix: WorkloadMix,
    private readonly recorder: IntervalRecorder,
  ) {
    const myVus = Array.from({ length: plan.vus }, (_, v) => v).filter((v) => v % shards === shard);
    const total = plan.iterations ?? 0;
    this.sharedLeft = plan.perVu ? 0 : Math.floor(total / shards) + (shard < total % shards ? 1 : 0);
    const run = new Promise<void>((resolve) => {
      const wait = setTimeout(() => resolve(Promise.all(myVus.map((v) => this.vu(v))).then(() => undefined)), Math.max(0, t0Perf - performance.now()));
      void this.stopSignal.then(() => clearTimeout(wait));
    });
    this.finished = Promise.race([run, this.stopSignal]);
  }

  private get deadlinePerf(): number {
    return this.t0Perf + this.plan.durationS * 1000;
  }

  private take(): boolean {
    if (this.plan.iterations === undefined || this.plan.perVu) return true;
    if (this.sharedLeft <= 0) return false;
    this.sharedLeft--;
    return true;
  }

  private async vu(_v: number): Promise<void> {
    let mine = 0;
    while (!this.stopped && performance.now() < this.deadlinePerf) {
      if (this.plan.perVu && mine >= (this.plan.iterations ?? 0)) return;
      if (!this.take()) return;
      mine++;
      const n = this.shard + this.shards * this.counter++;
      const entry = this.mix.pick(n);
      // A VU iteration's intended time is when it began: its outcomes count there.
      const begunPerf = performance.now();
      if (!(await this.dispatcher.start(n, entry, begunPerf))) continue;
      try {
        await Promise.race([this.dispatcher.awaitResult(n), this.stopSignal]);
        this.recorder.count(begunPerf, 'iterations', { kind: entry.tag });
      } catch (err) {
        this.recorder.count(begunPerf, 'workflowErrors', { kind: entry.tag, code: errorCode(err) });
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.resolveStop();
  }
}

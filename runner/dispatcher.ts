import type { Interaction } from '../scenarios/types.js';
import type { IntervalRecorder } from './interval-recorder.js';
import { errorCode, interactionDelays, type StartRequest } from './start-client.js';
import type { ResolvedEntry } from './workload.js';

/** The calls the dispatcher makes; StartClient in a run, a stub in tests and benchmarks. */
export interface Starter {
  start(req: StartRequest): Promise<void>;
  interact(workflowId: string, interaction: Interaction): Promise<void>;
  result(workflowId: string): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Makes one start (and its interactions) and records it: scheduling lag (send − intended), start
 * latency from the intended time (response time, coordinated-omission free) and from the send
 * (service time), sent/started/errors counts by kind and gRPC status.
 */
export class Dispatcher {
  inFlight = 0;
  interactionsInFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly runId: string,
    private readonly starter: Starter,
    private readonly recorder: IntervalRecorder,
    private readonly executionTimeoutMs: number,
  ) {}

  workflowId(n: number): string {
    return `${this.runId}-${n}`;
  }

  /** Starts arrival n now; resolves true when the server acknowledged the start. */
  async start(n: number, entry: ResolvedEntry, intendedPerf: number): Promise<boolean> {
    const rec = this.recorder;
    const sentAt = performance.now();
    rec.latency(sentAt, 'schedulingLag', Math.max(0, sentAt - intendedPerf));
    rec.count(sentAt, 'sent', { kind: entry.tag });
    rec.count(sentAt, 'calls', { kind: entry.tag });
    this.inFlight++;
    const workflowId = this.workflowId(n);
    try {
      await this.starter.start({ workflowId, workflowType: entry.workflowType, args: entry.args, executionTimeoutMs: this.executionTimeoutMs });
      const end = performance.now();
      rec.latency(end, 'start', end - intendedPerf, entry.tag);
      rec.latency(end, 'startService', end - sentAt, entry.tag);
      rec.count(end, 'started', { kind: entry.tag });
      if (entry.interactions.length) for (const it of entry.interactions) void this.interactions(workflowId, entry.tag, it);
      return true;
    } catch (err) {
      rec.count(performance.now(), 'errors', { kind: entry.tag, code: errorCode(err) });
      return false;
    } finally {
      this.inFlight--;
      this.notifyIdle();
    }
  }

  private async interactions(workflowId: string, tag: string, it: Interaction): Promise<void> {
    const { delayMs, intervalMs, count } = interactionDelays(it);
    this.interactionsInFlight++;
    try {
      if (delayMs > 0) await sleep(delayMs);
      for (let i = 0; i < count; i++) {
        if (i > 0 && intervalMs > 0) await sleep(intervalMs);
        const sentAt = performance.now();
        this.recorder.count(sentAt, 'calls', { kind: tag });
        try {
          await this.starter.interact(workflowId, it);
          const end = performance.now();
          this.recorder.latency(end, it.type, end - sentAt, tag);
        } catch (err) {
          this.recorder.count(performance.now(), 'errors', { kind: tag, code: errorCode(err) });
        }
      }
    } finally {
      this.interactionsInFlight--;
      this.notifyIdle();
    }
  }

  /** Closed model: wait for the workflow to finish (one long-poll per VU). */
  async awaitResult(n: number): Promise<void> {
    await this.starter.result(this.workflowId(n));
  }

  get busy(): boolean {
    return this.inFlight > 0 || this.interactionsInFlight > 0;
  }

  private notifyIdle(): void {
    if (this.busy) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Gives up waiting: idle() resolves false now (a second SIGINT). */
  abandonWait(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves true when no start or interaction is in flight, false on timeout. */
  idle(timeoutMs: number): Promise<boolean> {
    if (!this.busy) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(!this.busy);
      });
    });
  }
}

import type { Interaction } from '../scenarios/types.js';
import type { IntervalRecorder } from './interval-recorder.js';
import { errorCode, interactionDelays, type StartRequest } from './start-client.js';
import type { ResolvedEntry } from '../schedule/workload.js';

/** The calls the dispatcher makes; StartClient in a run, a stub in tests and benchmarks. */
export interface Starter {
  start(req: StartRequest): Promise<void>;
  interact(workflowId: string, interaction: Interaction): Promise<void>;
  result(workflowId: string): Promise<void>;
}

/** The error code of a call that had no outcome when the drain timed out. */
export const timeoutAtDrain = 'TIMEOUT_AT_DRAIN';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A call (a start, or one signal/update/query) that was sent and has no outcome yet. */
interface OpenCall {
  intendedPerf: number;
  /** The latency metric its outcome records, and where that latency is measured from. */
  metric: string;
  fromPerf: number;
  tag: string;
}

/** Interaction calls of one workflow not sent yet (they wait out their delay). */
interface Unsent {
  intendedPerf: number;
  tag: string;
  left: number;
}

/**
 * Makes one start (and its interactions) and records it against the interval of the arrival's
 * intended time: scheduling lag (send − intended), start latency from the intended time (response
 * time, coordinated-omission free) and from the send (service time), sent/started/errors counts by
 * kind and gRPC status. An overloaded server cannot move its slow answers out of the window they were
 * meant for, and a call with no answer when the drain gives up is censored (counted, never dropped).
 */
export class Dispatcher {
  inFlight = 0;
  private readonly open = new Map<number, OpenCall>();
  private readonly unsent = new Set<Unsent>();
  private nextCall = 0;
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
    rec.latency(intendedPerf, 'schedulingLag', Math.max(0, sentAt - intendedPerf));
    rec.count(intendedPerf, 'sent', { kind: entry.tag });
    const workflowId = this.workflowId(n);
    const intendedEpochMs = performance.timeOrigin + intendedPerf;
    this.inFlight++;
    const outcome = await this.call(intendedPerf, 'start', intendedPerf, entry.tag, () => this.starter.start({ workflowId, workflowType: entry.workflowType, args: entry.args, executionTimeoutMs: this.executionTimeoutMs, intendedEpochMs }));
    this.inFlight--;
    if (outcome.ok) {
      rec.latency(intendedPerf, 'startService', outcome.endPerf - sentAt, entry.tag);
      rec.count(intendedPerf, 'started', { kind: entry.tag });
      for (const it of entry.interactions) void this.interactions(workflowId, entry.tag, intendedPerf, it);
    }
    this.notifyIdle();
    return outcome.ok;
  }

  /**
   * One call: counted, open until its outcome, which is recorded unless the drain censored it first.
   * The latency of `metric` is measured from `fromPerf`.
   */
  private async call(intendedPerf: number, metric: string, fromPerf: number, tag: string, send: () => Promise<void>): Promise<{ ok: boolean; endPerf: number }> {
    const rec = this.recorder;
    const id = this.nextCall++;
    rec.count(intendedPerf, 'calls', { kind: tag });
    rec.begin(intendedPerf);
    this.open.set(id, { intendedPerf, metric, fromPerf, tag });
    let ok = true;
    let code = '';
    try {
      await send();
    } catch (err) {
      ok = false;
      code = errorCode(err);
    }
    const endPerf = performance.now();
    if (!this.open.delete(id)) return { ok: false, endPerf }; // censored at the drain timeout: already counted
    if (ok) rec.latency(intendedPerf, metric, endPerf - fromPerf, tag);
    else rec.count(intendedPerf, 'errors', { kind: tag, code });
    rec.count(intendedPerf, 'outcomes');
    rec.end(intendedPerf);
    return { ok, endPerf };
  }

  private async interactions(workflowId: string, tag: string, intendedPerf: number, it: Interaction): Promise<void> {
    const { delayMs, intervalMs, count } = interactionDelays(it);
    // The interaction calls belong to the arrival's interval, which is not final until they are done.
    const unsent: Unsent = { intendedPerf, tag, left: count };
    this.unsent.add(unsent);
    this.recorder.begin(intendedPerf, count);
    try {
      if (delayMs > 0) await sleep(delayMs);
      for (let i = 0; i < count && unsent.left > 0; i++) {
        if (i > 0 && intervalMs > 0) await sleep(intervalMs);
        if (unsent.left === 0) return; // censored while waiting
        unsent.left--;
        this.recorder.end(intendedPerf); // the call below takes its own place in the interval's pending count
        await this.call(intendedPerf, it.type, performance.now(), tag, () => this.starter.interact(workflowId, it));
      }
    } finally {
      this.unsent.delete(unsent);
      this.notifyIdle();
    }
  }

  /** Closed model: wait for the workflow to finish (one long-poll per VU). */
  async awaitResult(n: number): Promise<void> {
    await this.starter.result(this.workflowId(n));
  }

  get busy(): boolean {
    return this.open.size > 0 || this.unsent.size > 0;
  }

  /**
   * The drain gave up: every call without an outcome becomes an error (TIMEOUT_AT_DRAIN) in its
   * intended interval, and a sent one also records its latency as at least the time it has waited
   * (counted as `censored`), so an overload can never shorten a tail. Later answers are ignored.
   */
  censorOpenCalls(): number {
    const rec = this.recorder;
    const now = performance.now();
    let censored = 0;
    for (const c of this.open.values()) {
      rec.latency(c.intendedPerf, c.metric, now - c.fromPerf, c.tag);
      rec.count(c.intendedPerf, 'censored', { metric: c.metric });
      rec.count(c.intendedPerf, 'errors', { kind: c.tag, code: timeoutAtDrain });
      rec.count(c.intendedPerf, 'outcomes');
      rec.end(c.intendedPerf);
      censored++;
    }
    this.open.clear();
    for (const u of this.unsent) {
      rec.count(u.intendedPerf, 'calls', { kind: u.tag }, u.left);
      rec.count(u.intendedPerf, 'errors', { kind: u.tag, code: timeoutAtDrain }, u.left);
      rec.count(u.intendedPerf, 'outcomes', {}, u.left);
      rec.end(u.intendedPerf, u.left);
      censored += u.left;
      u.left = 0;
    }
    this.unsent.clear();
    this.notifyIdle();
    return censored;
  }

  private notifyIdle(): void {
    if (this.busy) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Gives up waiting: idle() resolves false now (a second SIGINT). */
  abandonWait(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves true when no start or interaction is in flight or waiting, false on timeout. */
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

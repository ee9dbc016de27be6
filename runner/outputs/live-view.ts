import type { IntervalRecord } from '../../recorder/result-schema.js';
import type { Timeline } from '../../recorder/timeline.js';
import { byMagnitude } from '../../reports/format.js';
import type { RunOutput } from '../output.js';

/** Where the run's notes go: the live view takes them while it draws. */
export interface NoteSink {
  note: (line: string) => void;
}

/**
 * Progress while a run goes: on a TTY one status line redrawn in place every second; otherwise a
 * plain line every `plainEveryS` seconds (CI logs stay readable). Notes (faults, worker problems)
 * go on their own line above it.
 */
export class LiveView implements RunOutput {
  readonly name = 'live view';
  private lastPlain = -Infinity;
  private drawn = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly notes: NoteSink,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly plainEveryS = 5,
  ) {}

  start(): void {
    this.notes.note = (line) => this.note(line);
  }

  tick(): void {
    this.update(this.timeline.latestComplete(), '', this.timeline.latestWithE2E());
  }

  stop(): void {
    this.end();
  }

  /** `e2e`: the interval the end-to-end columns come from (the workers' reports trail by a poll). */
  static line(r: IntervalRecord, extra = '', e2e: IntervalRecord = r): string {
    const l = r.latencyMs;
    const ms = (x: number | undefined) => (x === undefined ? '-' : byMagnitude(x, 1));
    const errors = Object.values(r.errors).reduce((s, n) => s + n, 0);
    return (
      [
        `t=${r.t}s ${r.phase}`,
        `target ${r.target}/s sent ${r.sent}/s ok ${r.started}/s`,
        `in-flight ${r.inFlight}`,
        `start p50/p99 ${ms(l.start?.p50)}/${ms(l.start?.p99)} ms`,
        `e2e p50/p99 ${ms(e2e.latencyMs.e2e?.p50)}/${ms(e2e.latencyMs.e2e?.p99)} ms`,
        `done ${e2e.completed}/s${e2e.t === r.t ? '' : ` (t=${e2e.t}s)`}`,
        `errors ${errors}${r.dropped ? ` dropped ${r.dropped}` : ''}`,
        `lag p99 ${ms(l.schedulingLag?.p99)} ms loop p99 ${ms(r.generator.eventLoopDelayP99Ms)} ms`,
      ].join(' | ') + extra
    );
  }

  update(r: IntervalRecord | undefined, extra = '', e2e?: IntervalRecord): void {
    if (!r) return;
    if (this.out.isTTY) {
      const text = LiveView.line(r, extra, e2e).slice(0, Math.max(40, (this.out.columns ?? 160) - 1));
      this.out.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else if (r.t - this.lastPlain >= this.plainEveryS) {
      this.out.write(`${LiveView.line(r, extra, e2e)}\n`);
      this.lastPlain = r.t;
    }
  }

  /** A message on its own line (the status line is redrawn after it). */
  note(message: string): void {
    this.end();
    this.out.write(`${message}\n`);
  }

  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

import type { HlogFile } from '../../recorder/hlog.js';
import type { RunOutput } from '../output.js';

/** The .hlog: the timeline buffers every interval's histograms in it; they are appended every 4 s and at the end. */
export class HlogFlush implements RunOutput {
  readonly name = '.hlog';
  private lastFlush = Date.now();

  constructor(private readonly hlog: HlogFile) {}

  tick(): void {
    if (Date.now() - this.lastFlush < 4000) return;
    this.hlog.flush();
    this.lastFlush = Date.now();
  }

  finish(): void {
    this.hlog.flush();
  }
}

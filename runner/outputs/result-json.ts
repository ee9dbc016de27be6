import { writeResultFile } from '../../recorder/result-file.js';
import type { FinishedRun, RunOutput } from '../output.js';
import type { RunRecord } from '../run-record.js';

/**
 * result.json: written before the first start, every 10 s or more while the run goes on (a crash
 * keeps what was measured), and final once the run is judged.
 */
export class ResultJson implements RunOutput {
  readonly name = 'result.json';
  private lastWrite = Date.now();
  // result.json grows with the run (one record a second): rewriting it every few seconds would cost a
  // long soak more and more CPU. Every 10 s at least, and the gap grows so writing takes at most 2 % of
  // the coordinator's time (the .hlog keeps every interval's histograms regardless).
  private gapMs = 10_000;

  constructor(
    private readonly outDir: string,
    private readonly record: RunRecord,
  ) {}

  start(): void {
    writeResultFile(this.outDir, this.record.result());
    this.lastWrite = Date.now();
  }

  tick(): void {
    if (Date.now() - this.lastWrite < this.gapMs) return;
    const writeStart = performance.now();
    writeResultFile(this.outDir, this.record.result());
    this.lastWrite = Date.now();
    this.gapMs = Math.max(10_000, 50 * (performance.now() - writeStart));
  }

  finish(run: FinishedRun): void {
    writeResultFile(run.outDir, run.result);
  }
}

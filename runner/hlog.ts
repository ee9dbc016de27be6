import fs from 'node:fs';
import { HistogramLogWriter } from 'hdr-histogram-js';
import type { Histogram } from '../metrics/histogram';

/**
 * The run's HdrHistogram interval log (standard .hlog, readable by HistogramLogReader and the Java
 * tools): one tagged line per metric per 1-s interval, values in microseconds (max column in ms).
 * Lines are buffered and appended on flush(), which the runner calls at least every 5 s.
 */
export class HlogFile {
  private buffer: string[] = [];
  private readonly writer = new HistogramLogWriter((line) => this.buffer.push(line));

  constructor(
    readonly file: string,
    private readonly t0Epoch: number,
  ) {
    this.writer.baseTime = t0Epoch;
    this.writer.outputComment('[Logged with temporal-bench: latencies in microseconds]');
    this.writer.outputLogFormatVersion();
    this.writer.outputComment(`[StartTime: ${(t0Epoch / 1000).toFixed(3)} (seconds since epoch), ${new Date(t0Epoch).toISOString()}]`);
    this.buffer.push(`#[BaseTime: ${(t0Epoch / 1000).toFixed(3)} (seconds since epoch)]\n`);
    this.writer.outputLegend();
    this.flush();
  }

  /** hlog tags may not contain commas or spaces: `start{kind:chain}` becomes `start.kind=chain`. */
  static tagOf(key: string): string {
    return key.replace(/\{([^}]*)\}/, (_, tags: string) => `.${tags.replace(/:/g, '=').replace(/,/g, '.')}`);
  }

  /** One interval histogram; startMs/endMs are epoch milliseconds. */
  write(key: string, histogram: Histogram, startMs: number, endMs: number): void {
    if (histogram.totalCount === 0) return;
    histogram.tag = HlogFile.tagOf(key);
    this.writer.outputIntervalHistogram(histogram, (startMs - this.t0Epoch) / 1000, (endMs - this.t0Epoch) / 1000, 1000);
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    fs.appendFileSync(this.file, this.buffer.join(''));
    this.buffer = [];
  }
}

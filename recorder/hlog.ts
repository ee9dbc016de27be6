import fs from 'node:fs';
import path from 'node:path';
import { HistogramLogWriter } from 'hdr-histogram-js';
import { encodeHistogram, type Histogram } from '../metrics/histogram.js';

/** HistogramLogWriter's number format: 3 decimals, left-padded to 5 characters. */
const seconds = (v: number) => v.toFixed(3).padStart(5);

/**
 * The run's HdrHistogram interval log (standard .hlog, readable by HistogramLogReader and the Java
 * tools): one tagged line per metric per 1-s interval, values in microseconds (max column in ms).
 * Lines are buffered and appended on flush(), which the runner calls at least every 5 s.
 *
 * Long runs rotate: every `segmentS` seconds of run time start a new file (`<run-id>.hlog`, then
 * `<run-id>.001.hlog`, ...), each a complete log with its own header, so a soak of hours never grows
 * one file without bound and a finished segment can be shipped or read on its own. Every segment
 * keeps the run's start as BaseTime, so interval timestamps are seconds since the run's t0.
 */
export class HlogFile {
  /** Segment file names (relative to the output directory), in order. */
  readonly files: string[] = [];
  private buffer: string[] = [];
  private writer!: HistogramLogWriter;
  private segment = -1;

  constructor(
    private readonly dir: string,
    private readonly runId: string,
    private readonly t0Epoch: number,
    private readonly segmentS = 3600,
  ) {
    this.open(0);
  }

  static segmentName(runId: string, segment: number): string {
    return segment === 0 ? `${runId}.hlog` : `${runId}.${String(segment).padStart(3, '0')}.hlog`;
  }

  /** hlog tags may not contain commas or spaces: `start{kind:chain}` becomes `start.kind=chain`. */
  static tagOf(key: string): string {
    return key.replace(/\{([^}]*)\}/, (_, tags: string) => `.${tags.replace(/:/g, '=').replace(/,/g, '.')}`);
  }

  private open(segment: number): void {
    this.flush();
    this.segment = segment;
    this.files.push(HlogFile.segmentName(this.runId, segment));
    const startMs = this.t0Epoch + segment * this.segmentS * 1000;
    this.writer = new HistogramLogWriter((line) => this.buffer.push(line));
    this.writer.baseTime = this.t0Epoch;
    this.writer.outputComment(`[Logged with temporal-bench: latencies in microseconds; run ${this.runId}, segment ${segment}]`);
    this.writer.outputLogFormatVersion();
    this.writer.outputComment(`[StartTime: ${(startMs / 1000).toFixed(3)} (seconds since epoch), ${new Date(startMs).toISOString()}]`);
    this.buffer.push(`#[BaseTime: ${(this.t0Epoch / 1000).toFixed(3)} (seconds since epoch)]\n`);
    this.writer.outputLegend();
    this.flush();
  }

  /**
   * One interval histogram; startMs/endMs are epoch milliseconds. A workers' interval can open
   * before t0 (their clock ticks on whole seconds), but standard readers skip lines with a negative
   * timestamp, silently losing its samples; nothing in a run finishes before t0, so it starts at t0.
   */
  write(key: string, histogram: Histogram, startMs: number, endMs: number): void {
    if (histogram.totalCount === 0) return;
    this.writeEncoded(key, encodeHistogram(histogram), histogram.maxValue, startMs, endMs);
  }

  /** The same line from a histogram already encoded (a worker's interval): no second encoding. */
  writeEncoded(key: string, encoded: string, maxValueUs: number, startMs: number, endMs: number): void {
    startMs = Math.max(startMs, this.t0Epoch);
    endMs = Math.max(endMs, startMs);
    const segment = Math.floor((startMs - this.t0Epoch) / 1000 / this.segmentS);
    if (segment > this.segment) this.open(segment);
    // HistogramLogWriter's interval line (Tag=,start,duration,max ms,histogram), without its Intl formatter.
    const start = (startMs - this.t0Epoch) / 1000;
    this.buffer.push(`Tag=${HlogFile.tagOf(key)},${seconds(start)},${seconds((endMs - this.t0Epoch) / 1000 - start)},${seconds(maxValueUs / 1000)},${encoded}\n`);
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    fs.appendFileSync(path.join(this.dir, this.files[this.files.length - 1]!), this.buffer.join(''));
    this.buffer = [];
  }
}

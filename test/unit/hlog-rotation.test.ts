import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistogramLogReader } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { newHistogram, recordMs } from '../../metrics/histogram.js';
import { HlogFile } from '../../recorder/hlog.js';

const t0 = Date.UTC(2026, 10, 27, 12, 0, 0);

/** One interval histogram per second for `seconds` s, holding `perSecond` samples of (s+1) ms. */
function writeRun(dir: string, seconds: number, segmentS: number, perSecond = 3): HlogFile {
  const hlog = new HlogFile(dir, 'r1', t0, segmentS);
  for (let s = 0; s < seconds; s++) {
    const h = newHistogram();
    for (let i = 0; i < perSecond; i++) recordMs(h, s + 1);
    hlog.write('start{kind:noop}', h, t0 + s * 1000, t0 + (s + 1) * 1000);
    if (s % 2 === 1) hlog.flush();
  }
  hlog.flush();
  return hlog;
}

function readAll(file: string) {
  const reader = new HistogramLogReader(fs.readFileSync(file, 'utf8'));
  const out: { startSec: number; count: number; tag: string }[] = [];
  for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) out.push({ startSec: h.startTimeStampMsec / 1000, count: h.totalCount, tag: h.tag });
  return out;
}

describe('.hlog rotation', () => {
  it('starts a new, self-contained file every segment of run time and loses no interval', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hlog-'));
    const hlog = writeRun(dir, 7, 3);
    expect(hlog.files).toEqual(['r1.hlog', 'r1.001.hlog', 'r1.002.hlog']);
    const segments = hlog.files.map((f) => readAll(path.join(dir, f)));
    // Seconds 0-2, 3-5 and 6 — each read by the standard reader on its own, timestamps absolute.
    expect(segments.map((s) => s.map((i) => i.startSec - t0 / 1000))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(segments.flat().every((i) => i.count === 3 && i.tag === 'start.kind=noop')).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'r1.001.hlog'), 'utf8')).toContain(`#[StartTime: ${((t0 + 3000) / 1000).toFixed(3)}`);
  });

  it('an interval that opened before t0 (a worker clock second) stays readable by the standard reader', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hlog-'));
    const hlog = new HlogFile(dir, 'r1', t0, 3600);
    const h = newHistogram();
    for (let i = 0; i < 6; i++) recordMs(h, 80);
    hlog.write('e2e', h, t0 - 700, t0 + 300);
    hlog.flush();
    expect(readAll(path.join(dir, 'r1.hlog'))).toEqual([{ startSec: t0 / 1000, count: 6, tag: 'e2e' }]);
  });

  it('keeps one file when the run is shorter than a segment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hlog-'));
    const hlog = writeRun(dir, 5, 3600);
    expect(hlog.files).toEqual(['r1.hlog']);
    expect(readAll(path.join(dir, 'r1.hlog'))).toHaveLength(5);
  });
});

describe('.hlog lines from encoded histograms', () => {
  it('writes the line HistogramLogWriter writes, from the encoded histogram and its max, and the standard reader reads it back', async () => {
    const { HistogramLogWriter } = await import('hdr-histogram-js');
    const { encodeHistogram } = await import('../../metrics/histogram.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hlog-'));
    const h = newHistogram();
    for (const ms of [0.5, 3, 17.25, 1234.5]) recordMs(h, ms);
    const hlog = new HlogFile(dir, 'r2', t0, 3600);
    hlog.writeEncoded('e2e', encodeHistogram(h), h.maxValue, t0 + 2000, t0 + 3000);
    hlog.write('e2e', h, t0 + 3000, t0 + 4000);
    hlog.flush();
    const lines = fs
      .readFileSync(path.join(dir, 'r2.hlog'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Tag='));
    const reference: string[] = [];
    const writer = new HistogramLogWriter((line) => reference.push(line));
    h.tag = 'e2e';
    writer.outputIntervalHistogram(h, 2, 3, 1000);
    expect(`${lines[0]}\n`).toBe(reference[0]);
    expect(lines[1]).toBe(lines[0]!.replace('Tag=e2e,2.000,', 'Tag=e2e,3.000,'));
    const read = readAll(path.join(dir, 'r2.hlog'));
    expect(read.map((r) => [r.startSec - t0 / 1000, r.count, r.tag])).toEqual([
      [2, 4, 'e2e'],
      [3, 4, 'e2e'],
    ]);
  });
});

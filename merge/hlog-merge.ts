import fs from 'node:fs';
import path from 'node:path';
import type { HlogFile } from '../recorder/hlog.js';
import { mergeEncoded, type Histogram } from '../metrics/histogram.js';

/** One interval line of an .hlog: its tag, its 1-s index from the merged t0, the encoded histogram. */
interface Entry {
  tag: string;
  index: number;
  encoded: string;
}

/**
 * The interval lines of one segment's .hlog files (standard HdrHistogram interval log format: optional
 * `Tag=...,` then start, length, max, compressed histogram; `#[BaseTime: s]` gives the time base).
 * Parsed as text, histograms left encoded: a merge of many hours keeps strings, not live histograms.
 */
export function readHlogEntries(dir: string, files: string[], t0Epoch: number): Entry[] {
  const out: Entry[] = [];
  for (const file of files) {
    let baseMs = 0;
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line.startsWith('#')) {
        const base = /^#\[BaseTime: ([\d.]+)/.exec(line);
        if (base) baseMs = Number(base[1]) * 1000;
        continue;
      }
      const fields = line.split(',');
      const tag = fields[0]?.startsWith('Tag=') ? fields.shift()!.slice(4) : '';
      if (fields.length !== 4 || !/^[\d.]+$/.test(fields[0]!)) continue; // the legend, or a blank line
      const startMs = baseMs + Number(fields[0]) * 1000;
      out.push({ tag, index: Math.floor((startMs - t0Epoch) / 1000 + 1e-6), encoded: fields[3]!.trim() });
    }
  }
  return out;
}

/**
 * Merges the segments' interval logs per tag and per second (histograms added, never percentiles
 * averaged), writes the merged .hlog through the run's own writer, and hands each merged interval to
 * `onInterval` (the merged timeline takes its per-second latencies from it). Seconds are processed in
 * order and dropped once written, so memory holds one second of live histograms at a time.
 */
export function mergeHlogs(segments: { dir: string; files: string[] }[], hlog: HlogFile, t0Epoch: number, onInterval: (index: number, tag: string, merged: Histogram) => void): number {
  const byIndex = new Map<number, Map<string, string[]>>();
  let entries = 0;
  for (const s of segments) {
    for (const e of readHlogEntries(s.dir, s.files, t0Epoch)) {
      let tags = byIndex.get(e.index);
      if (!tags) byIndex.set(e.index, (tags = new Map()));
      const parts = tags.get(e.tag);
      if (parts) parts.push(e.encoded);
      else tags.set(e.tag, [e.encoded]);
      entries++;
    }
  }
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    for (const [tag, parts] of [...byIndex.get(index)!].sort((a, b) => a[0].localeCompare(b[0]))) {
      const merged = mergeEncoded(parts);
      hlog.write(tag, merged, t0Epoch + index * 1000, t0Epoch + (index + 1) * 1000);
      onInterval(index, tag, merged);
    }
    byIndex.delete(index);
    hlog.flush();
  }
  return entries;
}

/**
 * Counting and summarizing the SDK core's (Rust) log entries. A server outage makes the core log a
 * retry warning per call and poller every second or so: the terminal gets one summary line per few
 * seconds instead, and the full entries go to a file (see core-log-runtime.ts). No I/O here.
 */
import os from 'node:os';
import path from 'node:path';
import { grpcStatusNames } from '../core/grpc-status.js';

/** Where a process's core log entries go when nobody named a file: `bench-<role>-<pid>-core.log` in the temp dir. */
export function defaultCoreLogFile(role: string, pid = process.pid): string {
  return path.join(os.tmpdir(), `bench-${role}-${pid}-core.log`);
}

/** Entries of one level and target (e.g. WARN temporalio_client::retry) over some window. */
export interface CoreLogGroup {
  level: string;
  target: string;
  count: number;
  /** WARN and ERROR entries by the gRPC status their message or fields name (UNAVAILABLE, ...). */
  codes: Record<string, number>;
}

/** What a log entry carries once forwarded to the TypeScript logger (a DefaultLogger's LogEntry). */
export interface CoreLogEntry {
  level: string;
  message: string;
  timestampNanos: bigint;
  meta?: Record<string, unknown>;
}

/** tonic's Debug spelling (`code: DeadlineExceeded`) to the gRPC name; `Cancelled` is spelled alike. */
const byCamel = new Map(grpcStatusNames.map((n) => [n.toLowerCase().replace(/_/g, ''), n]));
const upperName = new RegExp(`\\b(${grpcStatusNames.filter((n) => n !== 'OK').join('|')})\\b`);

/** The gRPC status a log text names: tonic's `code: Unavailable`, or a name like DEADLINE_EXCEEDED. */
export function grpcCode(text: string): string | undefined {
  const tonic = /\bcode: ([A-Z][A-Za-z]+)/.exec(text);
  const fromTonic = tonic && byCamel.get(tonic[1]!.toLowerCase());
  if (fromTonic) return fromTonic;
  return upperName.exec(text)?.[1];
}

/** Forwarded entries carry these in meta beside the core's own fields. */
const envelopeKeys = new Set(['target', 'sdkComponent']);

/** The core's own fields of an entry (e.g. `error`; span contexts when there are any), without the SDK's envelope. */
export function entryFields(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta ?? {})) if (!envelopeKeys.has(k) && !(k === 'spanContexts' && Array.isArray(v) && !v.length)) fields[k] = v;
  return fields;
}

/** The target to count an entry under: the core's Rust module path, else the SDK component (`worker`, `activity`). */
export function entryTarget(meta: Record<string, unknown> | undefined): string {
  if (typeof meta?.target === 'string') return meta.target;
  return typeof meta?.sdkComponent === 'string' ? `sdk:${meta.sdkComponent}` : 'sdk';
}

/** JSON that never throws (bigints as strings, errors by message, cycles cut). */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Error) return { name: v.name, message: v.message };
      if (v && typeof v === 'object') {
        if (seen.has(v)) return '[circular]';
        seen.add(v);
      }
      return v;
    });
  } catch {
    return '"[unserializable]"';
  }
}

/** One file line per entry: timestamp, level, target, message (newlines escaped), fields as JSON. */
export function formatEntry(e: CoreLogEntry): string {
  const time = new Date(Number(e.timestampNanos / 1_000_000n)).toISOString();
  const fields = entryFields(e.meta);
  const message = e.message.replace(/\r?\n/g, '\\n');
  return `${time} ${e.level.padEnd(5)} ${entryTarget(e.meta)} ${message}${Object.keys(fields).length ? ` ${safeJson(fields)}` : ''}`;
}

/** Counts by level and target (and gRPC code for WARN/ERROR) until taken. */
export class CoreLogTally {
  private groups = new Map<string, CoreLogGroup>();

  get empty(): boolean {
    return this.groups.size === 0;
  }

  private group(level: string, target: string): CoreLogGroup {
    const key = `${level}\t${target}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { level, target, count: 0, codes: {} }));
    return g;
  }

  add(e: CoreLogEntry): void {
    const g = this.group(e.level, entryTarget(e.meta));
    g.count++;
    if (e.level !== 'WARN' && e.level !== 'ERROR') return;
    const code = grpcCode(e.message) ?? grpcCode(safeJson(entryFields(e.meta)));
    if (code) g.codes[code] = (g.codes[code] ?? 0) + 1;
  }

  /** Adds counts taken elsewhere (another process's tally). */
  merge(groups: readonly CoreLogGroup[]): void {
    for (const src of groups) {
      const g = this.group(src.level, src.target);
      g.count += src.count;
      for (const [code, n] of Object.entries(src.codes)) g.codes[code] = (g.codes[code] ?? 0) + n;
    }
  }

  /** The counts so far, most frequent first; the tally starts over. */
  take(): CoreLogGroup[] {
    const out = [...this.groups.values()].sort((a, b) => b.count - a.count || a.target.localeCompare(b.target));
    this.groups = new Map();
    return out;
  }
}

const entries = (n: number) => (n === 1 ? 'entry' : 'entries');
const noun = (level: string, n: number) => `${level === 'WARN' ? 'warning' : 'error'}${n === 1 ? '' : 's'}`;

/** `412 retry warnings (UNAVAILABLE)`, `3 ERROR temporalio_sdk_core::worker entries (UNAVAILABLE 2, UNKNOWN 1)`. */
function describeGroup(g: CoreLogGroup): string {
  // The client's retry logger is the one a server outage floods: named plainly. Others keep their target.
  const retry = g.target === 'temporalio_client::retry' && (g.level === 'WARN' || g.level === 'ERROR');
  const what = retry ? `retry ${noun(g.level, g.count)}` : `${g.level} ${g.target} ${entries(g.count)}`;
  const codes = Object.entries(g.codes).sort((a, b) => b[1] - a[1]);
  const byCode = codes.length === 0 ? '' : codes.length === 1 && codes[0]![1] === g.count ? ` (${codes[0]![0]})` : ` (${codes.map(([c, n]) => `${c} ${n}`).join(', ')})`;
  return `${g.count} ${what}${byCode}`;
}

/**
 * The terminal's one line for a window, or undefined when nothing was logged:
 * `core: 412 retry warnings (UNAVAILABLE) in the last 5 s; full log: results/x/core.log`.
 */
export function summaryLine(groups: readonly CoreLogGroup[], windowMs: number, logFile: string): string | undefined {
  const shown = groups.filter((g) => g.count > 0);
  if (!shown.length) return undefined;
  const parts = shown.slice(0, 3).map(describeGroup);
  if (shown.length > 3) parts.push(`${shown.slice(3).reduce((n, g) => n + g.count, 0)} more`);
  return `core: ${parts.join(', ')} in the last ${Math.max(1, Math.round(windowMs / 1000))} s; full log: ${logFile}`;
}

/**
 * Collects counts from any number of processes and prints at most one summary line per window:
 * tick(now) prints what came since the last line (call it every windowMs), flush(now) the rest at the end.
 */
export class CoreLogSummary {
  private readonly tally = new CoreLogTally();
  private since: number;

  constructor(
    private readonly logFile: string,
    private readonly print: (line: string) => void,
    now: number,
  ) {
    this.since = now;
  }

  add(groups: readonly CoreLogGroup[]): void {
    this.tally.merge(groups);
  }

  tick(now: number): void {
    const line = summaryLine(this.tally.take(), now - this.since, this.logFile);
    this.since = now;
    if (line) this.print(line);
  }
}

/** The summary window: the terminal gets at most one core line this often. */
export const summaryEveryMs = 5000;

/** A CoreLogSummary on a timer (unref'd); stop() prints what is left. */
export function startCoreLogSummary(logFile: string, print: (line: string) => void): { add: (groups: readonly CoreLogGroup[]) => void; stop: () => void } {
  const summary = new CoreLogSummary(logFile, print, Date.now());
  const timer = setInterval(() => summary.tick(Date.now()), summaryEveryMs).unref();
  return {
    add: (groups) => summary.add(groups),
    stop: () => {
      clearInterval(timer);
      summary.tick(Date.now());
    },
  };
}

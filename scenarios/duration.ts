import { UsageError } from '../core/errors.js';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a k6/Go-style duration ("500ms", "20s", "1m30s", "2h") into milliseconds. A bare number
 * is seconds, as on the command line (`--duration 20`). Rejects negatives and garbage.
 */
export function parseDurationMs(text: string | number, what = 'duration'): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new UsageError(`${what} ${text}: expected a non-negative duration like 20s`);
    return text * 1000;
  }
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(s) ? s.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g) : null;
  if (!parts) throw new UsageError(`${what} ${JSON.stringify(text)}: expected a duration like 500ms, 20s, 1m30s or 2h`);
  return parts.reduce((sum, part) => {
    const [, value, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part)!;
    return sum + Number(value) * unitMs[unit!]!;
  }, 0);
}

/** Like parseDurationMs but also rejects zero. */
export function parsePositiveDurationMs(text: string | number, what = 'duration'): number {
  const ms = parseDurationMs(text, what);
  if (ms <= 0) throw new UsageError(`${what} ${JSON.stringify(text)}: must be longer than zero`);
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

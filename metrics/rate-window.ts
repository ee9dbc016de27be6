/**
 * Range-vector windows that fit the data, Grafana's `$__rate_interval` rule: a window must hold
 * several scrapes (4 × the scrape interval) and never be shorter than one step plus one scrape, so
 * consecutive points overlap and no increase falls between them. An SRE comparing the report with a
 * Grafana panel over the same range and scrape interval sees the same numbers.
 */

/** Prometheus' default when neither Prometheus nor the user says (Grafana's data-source default). */
export const defaultScrapeIntervalSeconds = 15;

/** At most ~240 points per series; never finer than the scrape interval (Grafana's min interval). */
export function stepFor(lengthSeconds: number, scrapeSeconds: number): number {
  return Math.max(1, Math.ceil(lengthSeconds / 240), Math.ceil(scrapeSeconds));
}

/** max(step + scrape, 4 × scrape), in whole seconds. */
export function rateWindowFor(scrapeSeconds: number, stepSeconds: number): number {
  return Math.ceil(Math.max(stepSeconds + scrapeSeconds, 4 * scrapeSeconds));
}

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const durationRe = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;

/** A Prometheus duration ("8s", "2m", "1m30s", "500ms") in seconds; undefined when it is not one. */
export function parseDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const m of trimmed.matchAll(durationRe)) total += Number(m[1]) * unitSeconds[m[2]!]!;
  return total;
}

/** Seconds as a PromQL duration: 8 → "8s", 120 → "2m", 90 → "1m30s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m}m${rest}s` : `${m}m`;
  return rest || m % 60 ? `${m}m${rest ? `${rest}s` : ''}` : `${m / 60}h`;
}

/**
 * The longest range `[...]` a PromQL expression reads, in seconds; 0 for an instant expression.
 * The window in the query text is the truth for what a point covers, also in files written before
 * the window was stored and in raw PromQL from a query config.
 */
export function queryRangeSeconds(promql: string): number {
  let longest = 0;
  const code = promql.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'); // not inside label values
  for (const m of code.matchAll(/\[\s*([0-9a-z.]+)\s*(?::[0-9a-z.]*)?\]/g)) {
    const s = parseDurationSeconds(m[1]!);
    if (s !== undefined && s > longest) longest = s;
  }
  return longest;
}

/**
 * A `--scrape-interval` / `--rate-window` value: seconds ("30") or a duration ("30s", "2m").
 * Returns undefined when absent; throws an Error naming the flag when it is not a positive duration.
 */
export function secondsFlag(value: string | number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : parseDurationSeconds(text);
  if (!(seconds !== undefined && seconds > 0)) throw new Error(`${flag} must be a duration like 30s or 2m (or seconds), got ${JSON.stringify(value)}`);
  return seconds;
}

import { UsageError } from '../core/errors.js';

/**
 * One execution segment of a run split over several processes or pods (k6-operator's model): segment
 * I of N owns the arrivals n ≡ I (mod N) of the one global schedule, and its VUs v ≡ I (mod N).
 */
export interface Segment {
  index: number;
  count: number;
}

export const wholeRun: Segment = { index: 0, count: 1 };

/** `--segment I/N` (0 ≤ I < N). */
export function parseSegment(value: string): Segment {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new UsageError(`--segment ${JSON.stringify(value)}: expected I/N with 0 <= I < N, e.g. 0/3`);
  return { index, count };
}

/** `--start-at` as epoch milliseconds: an RFC 3339 time with a zone (2026-12-02T03:00:00Z) or epoch ms. */
export function parseStartAt(value: string): number {
  const v = value.trim();
  const ms = /^\d{12,14}$/.test(v) ? Number(v) : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--start-at ${JSON.stringify(value)}: expected an RFC 3339 time with a zone (2026-12-02T03:00:00Z) or epoch milliseconds`);
  return ms;
}

/**
 * The global generator shard of local generator g: a segment runs its arrivals over its own
 * generators, so the run as a whole has count × generators shards, interleaved.
 */
export function globalShard(segment: Segment, generator: number, generators: number): { shard: number; shards: number } {
  return { shard: segment.index + segment.count * generator, shards: segment.count * generators };
}

/** How many of the arrivals 0..total-1 a segment owns (n ≡ index mod count). */
export function ownedOf(total: number, segment: Segment): number {
  return Math.max(0, Math.ceil((total - segment.index) / segment.count));
}

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { loadResult } from '../recorder/load.js';
import type { ResultFile } from '../recorder/result-schema.js';

export interface LoadedSegment {
  dir: string;
  index: number;
  result: ResultFile;
}

export interface SegmentSet {
  runId: string;
  count: number;
  segments: LoadedSegment[];
  /** Indices of 0..count-1 not given: the merged run is invalid without them. */
  missing: number[];
}

/**
 * The segment directories of one split run, checked before anything is written: every problem that
 * means "you pointed at the wrong directories" is a one-line UsageError. A segment that is absent,
 * late or invalid is not an input error: the merge goes on and the merged run says it is invalid.
 */
export function loadSegments(dirs: string[], absentAllowed = false): SegmentSet {
  if (dirs.length < 2) throw new UsageError(`bench merge needs the result directories of at least two segments, got ${dirs.length}`);
  const present = absentAllowed ? dirs.filter((d) => fs.existsSync(path.join(d, 'result.json'))) : dirs;
  if (present.length === 0) throw new UsageError(`none of the ${dirs.length} segment directories has a result.json`);
  const segments: LoadedSegment[] = present.map((dir) => {
    const result = loadResult(dir, 'segment');
    if (!result.segment) throw new UsageError(`${dir} is not a segment of a split run (its result.json has no segment: run segments with bench run --segment I/N)`);
    return { dir: path.resolve(dir), index: result.segment.index, result };
  });
  const first = segments[0]!;
  const count = first.result.segment!.count;
  for (const s of segments) {
    if (s.result.runId !== first.result.runId) throw new UsageError(`${s.dir} is from run ${s.result.runId}, ${first.dir} from run ${first.result.runId}: merge the segments of one run`);
    if (s.result.segment!.count !== count) throw new UsageError(`${s.dir} is segment ${s.index}/${s.result.segment!.count}, ${first.dir} one of ${count}: the segments disagree on their number`);
    const twin = segments.find((o) => o !== s && o.index === s.index);
    if (twin) throw new UsageError(`segment ${s.index}/${count} given twice: ${twin.dir} and ${s.dir}`);
  }
  const given = new Set(segments.map((s) => s.index));
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !given.has(i));
  return { runId: first.result.runId, count, segments: segments.sort((a, b) => a.index - b.index), missing };
}

/** True once every directory holds a finished segment result (status other than running). */
export function segmentsFinished(dirs: string[]): boolean {
  return dirs.every((dir) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as { status?: string }).status !== 'running';
    } catch {
      return false;
    }
  });
}

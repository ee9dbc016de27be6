import { readdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { loadLocated, steadyIntervals } from '../compare/load.js';
import { metricSpecs } from '../compare/metrics.js';
import { findChangePoints, type ChangePoint } from '../compare/stats/change-points.js';
import type { ResultFile } from '../recorder/result-schema.js';

/**
 * The trend across nights: every result under a directory, grouped by scenario (runs of different
 * scenarios are not comparable), ordered by start time, with change points per series.
 */
export interface HistoryPoint {
  runId: string;
  startedAt: string;
  dir: string;
  valid: boolean;
  values: Record<SeriesId, number | null>;
}

export type SeriesId = 'p99' | 'throughput' | 'errorRate';

export const seriesInfo: Record<SeriesId, { label: string; unit: string; worseWhen: 'increase' | 'decrease' }> = {
  p99: { label: 'end-to-end p99 (start p99 when absent)', unit: 'ms', worseWhen: 'increase' },
  throughput: { label: 'achieved throughput', unit: 'starts/s', worseWhen: 'decrease' },
  errorRate: { label: 'error rate', unit: '%', worseWhen: 'increase' },
};

export interface ScenarioHistory {
  scenario: string;
  points: HistoryPoint[];
  /** Per series; `point` indexes `points` (run ids can repeat, e.g. a fixed nightly --run-id). */
  changePoints: Record<SeriesId, (ChangePoint & { runId: string; point: number })[]>;
}

export interface History {
  kind: 'history';
  generatedAt: string;
  dir: string;
  method: string;
  scenarios: ScenarioHistory[];
  skipped: { path: string; reason: string }[];
}

/** result.json files at most `depth` directories below dir (results/<run-id>/result.json, nightly/<date>/<run-id>/...). */
function findResultFiles(dir: string, depth = 3): string[] {
  const out: string[] = [];
  const walk = (d: string, level: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isFile() && e.name === 'result.json') out.push(path.join(d, e.name));
      else if (e.isDirectory() && level < depth && !e.name.startsWith('.') && e.name !== 'node_modules') walk(path.join(d, e.name), level + 1);
    }
  };
  walk(dir, 0);
  return out;
}

const whole = (id: string, r: ResultFile) => metricSpecs.find((s) => s.id === id)!.whole(r, steadyIntervals(r));

function point(file: string, r: ResultFile): HistoryPoint {
  const p99 = whole('e2e.p99', r) ?? whole('start.p99', r);
  const errorRate = whole('errorRate', r);
  return {
    runId: r.runId,
    startedAt: r.startedAt,
    dir: path.dirname(file),
    valid: r.summary.valid !== false,
    values: { p99, throughput: whole('throughput', r), errorRate: errorRate === null ? null : errorRate * 100 },
  };
}

export interface HistoryOptions {
  alpha?: number;
  minSegment?: number;
}

export function buildHistory(dir: string, options: HistoryOptions = {}): History {
  let files: string[];
  try {
    files = findResultFiles(dir);
  } catch (err) {
    throw new UsageError(`cannot read ${dir}: ${(err as Error).message.split('\n')[0]}`);
  }
  const skipped: History['skipped'] = [];
  const byScenario = new Map<string, HistoryPoint[]>();
  for (const file of files) {
    try {
      const { result } = loadLocated(file);
      if (steadyIntervals(result).length === 0) throw new Error('no steady-phase intervals');
      const list = byScenario.get(result.scenario.name) ?? [];
      list.push(point(file, result));
      byScenario.set(result.scenario.name, list);
    } catch (err) {
      skipped.push({ path: file, reason: (err as Error).message });
    }
  }
  if (byScenario.size === 0) throw new UsageError(`no usable result.json under ${dir}${skipped.length ? ` (${skipped.length} skipped: ${skipped[0]!.reason})` : ''}`);
  const scenarios = [...byScenario.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([scenario, pts]) => {
      const points = pts.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      const changePoints = {} as ScenarioHistory['changePoints'];
      for (const id of Object.keys(seriesInfo) as SeriesId[]) {
        // Invalid runs (saturated generator) and missing values stay on the chart but out of the test.
        const usable = points.filter((p) => p.valid && p.values[id] !== null);
        changePoints[id] = findChangePoints(
          usable.map((p) => p.values[id]!),
          { alpha: options.alpha, minSegment: options.minSegment },
        ).map((c) => ({ ...c, runId: usable[c.index]!.runId, point: points.indexOf(usable[c.index]!) }));
      }
      return { scenario, points, changePoints };
    });
  return {
    kind: 'history',
    generatedAt: new Date().toISOString(),
    dir,
    method: `binary segmentation on the mean with a permutation test (alpha ${options.alpha ?? 0.01}, ≥ ${options.minSegment ?? 3} runs per segment); invalid runs excluded`,
    scenarios,
    skipped,
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { readServerMetrics, type ServerMetricsSnapshot } from '../metrics/prometheus-snapshot.js';
import { generateReport } from '../reports/generate.js';
import type { RuleInput } from '../reports/recommendations/index.js';
import type { ResultFile } from '../recorder/result-schema.js';
import { causeOf, type CapacityCause } from './cause.js';
import { judgeStep } from './judge.js';
import { findKnee, type CurvePoint } from './knee.js';
import { searchCapacity, type SearchOptions, type SearchResult, type StepRecord } from './search.js';
import { runStep, type StepSettings } from './step-runner.js';

export interface CapacityReport {
  schemaVersion: 1;
  capacityId: string;
  startedAt: string;
  endedAt: string;
  elapsedS: number;
  address: string;
  namespace: string;
  scenario: string;
  slo: string[];
  search: Omit<SearchOptions, 'criteria'> & { criteria: SearchOptions['criteria'] };
  stoppedBecause: SearchResult['stoppedBecause'];
  maxSustainableRps: number | null;
  firstBadRps: number | null;
  knee: CurvePoint | null;
  /** Every step measured, in order; one measured again says why (`remeasuredBecause`) and is not judged. */
  steps: CapacityStep[];
  /**
   * The likeliest bottleneck at the first unsustainable step, with its evidence and knob; rule
   * `unexplained` (closest candidates, missing data) when no rule matched; null when no step failed.
   */
  limitingFactor: CapacityCause | null;
  /** Why the first bad step was unsustainable, as judged from the client side. */
  firstBadReasons: string[];
}

export type CapacityStep = StepRecord & {
  index: number;
  /** This measurement was discarded and the rate measured again (the generator could not hold it). */
  remeasuredBecause?: string;
  /** The index of the discarded measurement this one replaces. */
  remeasureOf?: number;
};

export interface CapacityPlan {
  settings: StepSettings;
  search: SearchOptions;
  prometheusUrl?: string;
}

/** Converts `--slo 'workflow_e2e:p(99)<2000'` (k6 metric:expression) to the run's `metric=expression`. */
export function sloToThreshold(slo: string): string {
  const close = slo.lastIndexOf('}');
  const colon = slo.indexOf(':', Math.max(close, 0));
  if (colon <= 0 || colon === slo.length - 1) throw new UsageError(`--slo ${JSON.stringify(slo)}: expected metric:expression, e.g. workflow_e2e:p(99)<2000`);
  return `${slo.slice(0, colon)}=${slo.slice(colon + 1)}`;
}

function inputAt(step: StepRecord): RuleInput | undefined {
  const dir = step.measurement.resultDir;
  if (!dir) return undefined;
  try {
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as ResultFile;
    let server: ServerMetricsSnapshot | undefined;
    try {
      server = readServerMetrics(dir);
    } catch {
      server = undefined; // unreadable snapshot: the cause says the server metrics are missing
    }
    return { result, server };
  } catch {
    return undefined;
  }
}

/**
 * Steps the rate up and bisects to the highest sustainable rate, each step a full `bench run` with
 * its own results (and, with a Prometheus, its server snapshot and report); then names the limiting
 * factor from the evidence at the first bad step. Writes capacity.json after every step.
 */
export async function runCapacity(plan: CapacityPlan, log: (line: string) => void, shouldStop: () => boolean): Promise<CapacityReport> {
  const { settings } = plan;
  fs.mkdirSync(settings.outDir, { recursive: true });
  const started = Date.now();
  let index = 0;
  const records: CapacityStep[] = [];
  const report = (search: Partial<SearchResult>): CapacityReport => {
    const judged = records.filter((r) => !r.remeasuredBecause);
    const bad = judged.find((r) => r.measurement.targetRps === search.firstBadRps && !r.verdict.sustainable);
    const good = judged.filter((r) => r.verdict.sustainable).map((r) => ({ rps: r.measurement.targetRps, p50Ms: r.measurement.e2eP50Ms, p99Ms: r.measurement.e2eP99Ms }));
    const all = judged.map((r) => ({ rps: r.measurement.targetRps, p50Ms: r.measurement.e2eP50Ms, p99Ms: r.measurement.e2eP99Ms }));
    return {
      schemaVersion: 1,
      capacityId: settings.capacityId,
      startedAt: new Date(started).toISOString(),
      endedAt: new Date().toISOString(),
      elapsedS: Math.round((Date.now() - started) / 1000),
      address: settings.connection.address,
      namespace: settings.connection.namespace ?? 'bench',
      scenario: settings.scenario,
      slo: settings.slo,
      search: plan.search,
      stoppedBecause: search.stoppedBecause ?? 'interrupted',
      maxSustainableRps: search.maxSustainableRps ?? null,
      firstBadRps: search.firstBadRps ?? null,
      knee: findKnee(all.length >= 3 ? all : good) ?? null,
      steps: records,
      limitingFactor: bad ? causeOf(inputAt(bad), plan.prometheusUrl) : null,
      firstBadReasons: bad?.verdict.reasons ?? [],
    };
  };
  const write = (r: CapacityReport) => fs.writeFileSync(path.join(settings.outDir, 'capacity.json'), `${JSON.stringify(r, null, 2)}\n`);

  const measure = async (rps: number) => {
    index += 1;
    log(`capacity step ${index}: ${rps}/s for ${settings.stepDurationS}s (+${settings.settleS}s settle)`);
    const m = await runStep(settings, rps, index, log);
    if (plan.prometheusUrl && m.resultDir) {
      await generateReport(m.resultDir, { prometheusUrl: plan.prometheusUrl }).catch((err: Error) => log(`step ${index}: server metrics unavailable: ${err.message}`));
    }
    return m;
  };
  let remeasureOf: number | undefined;
  const result = await searchCapacity(
    async (rps, phase) => {
      remeasureOf = undefined;
      const m = await measure(rps);
      if (m.generatorValid || shouldStop()) return m;
      // A step whose generator was late says nothing about the server: measure it once more, and
      // keep the discarded one in the report with the reason (it is evidence of a busy host too).
      const why = `the generator could not hold the rate (${(m.invalidReasons ?? []).join('; ') || 'invalid run'}): measured again as step ${index + 1}`;
      records.push({ phase, measurement: m, verdict: judgeStep(m, plan.search.criteria), index, remeasuredBecause: why });
      log(`step ${index} at ${rps}/s is invalid: ${why}`);
      remeasureOf = index;
      return measure(rps);
    },
    plan.search,
    (record) => {
      records.push({ ...record, index, ...(remeasureOf !== undefined ? { remeasureOf } : {}) });
      const m = record.measurement;
      log(`step ${index} ${m.targetRps}/s: ${record.verdict.sustainable ? 'sustainable' : `NOT sustainable (${record.verdict.reasons.join('; ')})`}; achieved ${m.achievedRps}/s, e2e p99 ${m.e2eP99Ms} ms`);
      write(report({}));
    },
    shouldStop,
  );
  const final = report(result);
  write(final);
  return final;
}

import { UsageError } from '../core/errors.js';
import { loadLocated } from '../compare/load.js';
import { compareOptionsFromFlags, type CompareFlagValues } from '../compare/options.js';
import { secondsFlag } from '../metrics/rate-window.js';
import { grafanaUrlArg } from '../monitoring/grafana-annotations.js';
import { parsePositiveDurationMs } from '../scenarios/duration.js';
import { bestEffort, type RunOutput } from '../runner/output.js';
import { driftOutput } from '../runner/outputs/drift.js';
import { gateOutput } from '../runner/outputs/gate.js';
import { grafanaAnnotationsOutput } from '../runner/outputs/grafana-annotations.js';
import { reportOutput } from '../runner/outputs/report.js';
import type { RunPlan } from '../runner/plan.js';

export interface FinishPlan {
  baseline?: string;
  gate: boolean;
  compare: ReturnType<typeof compareOptionsFromFlags>;
  driftWindowS?: number;
  /** The report's --scrape-interval / --rate-window (server rate windows), checked before the load. */
  scrapeIntervalSeconds?: number;
  rateWindowSeconds?: number;
  /** --grafana-url: where the run's annotations go (checked before the load). */
  grafanaUrl?: string;
}

/**
 * Checks the run's follow-ups before any load is sent, so a bad baseline or flag costs nothing:
 * the baseline must be a readable result of this schema and of the same scenario.
 */
export function checkBaseline(plan: RunPlan, args: CompareFlagValues & { baseline?: string; gate: boolean; 'drift-window'?: string; 'scrape-interval'?: string; 'rate-window'?: string; 'grafana-url'?: string }): FinishPlan {
  const compare = compareOptionsFromFlags(args);
  if (args.baseline) {
    const { result } = loadLocated(args.baseline, 'baseline');
    if (result.scenario.name !== plan.scenario.name && !compare.allowDifferentScenario) {
      throw new UsageError(`baseline ${args.baseline} is scenario ${JSON.stringify(result.scenario.name)}, this run is ${JSON.stringify(plan.scenario.name)} (--allow-different-scenario to compare anyway)`);
    }
  }
  const window = args['drift-window'] ?? (plan.scenario.name === 'soak' ? '5m' : undefined);
  const driftWindowS = window === undefined ? undefined : parsePositiveDurationMs(window, '--drift-window') / 1000;
  const seconds = (flag: 'scrape-interval' | 'rate-window') => {
    try {
      return secondsFlag(args[flag], `--${flag}`);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
  const grafanaUrl = args['grafana-url'] === undefined ? undefined : grafanaUrlArg(args['grafana-url']);
  return { baseline: args.baseline, gate: args.gate, compare, driftWindowS, scrapeIntervalSeconds: seconds('scrape-interval'), rateWindowSeconds: seconds('rate-window'), grafanaUrl };
}

/**
 * The outputs after the run, from its flags, in order (as before issue 18): drift (soak), the report,
 * Grafana annotations, the gate. Each failure is one log line; the gate's 99 (98 when inconclusive) is the only exit code.
 */
export function afterRunOutputs(finish: FinishPlan, prometheusUrl: string | undefined, log: (line: string) => void): RunOutput[] {
  const { baseline, scrapeIntervalSeconds, rateWindowSeconds } = finish;
  const outputs = [
    ...(finish.driftWindowS !== undefined ? [driftOutput(finish.driftWindowS, log)] : []),
    reportOutput({ baseline, prometheusUrl, scrapeIntervalSeconds, rateWindowSeconds }, log),
    ...(finish.grafanaUrl ? [grafanaAnnotationsOutput(finish.grafanaUrl, log)] : []),
    ...(finish.gate && baseline ? [gateOutput(baseline, finish.compare, log)] : []),
  ];
  return outputs.map((o) => bestEffort(o, log));
}

import { UsageError } from '../core/errors.js';
import { loadLocated } from '../compare/load.js';
import { compareOptionsFromFlags, type CompareFlagValues } from '../compare/options.js';
import { gateAgainstBaseline } from '../compare/gate.js';
import { secondsFlag } from '../metrics/rate-window.js';
import { postAnnotations, runAnnotations, grafanaUrlArg } from '../monitoring/grafana-annotations.js';
import { generateReport } from '../reports/generate.js';
import { parsePositiveDurationMs } from '../scenarios/duration.js';
import { writeDrift } from '../soak/write.js';
import type { RunPlan } from '../runner/plan.js';
import type { ServerMetricsSource } from '../runner/server-metrics-source.js';

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

/** After the run: drift checks (soak), the report (with the baseline overlaid), the gate. Returns the gate's exit code. */
export async function finishRun(outDir: string, finish: FinishPlan, server: ServerMetricsSource, log: (line: string) => void): Promise<number> {
  if (finish.driftWindowS !== undefined) {
    const { markdown } = writeDrift(outDir, { windowS: finish.driftWindowS });
    log(markdown.split('\n').find((l) => /verdict|drift/i.test(l)) ?? 'drift: written to drift.md');
  }
  if (server.snapshot) log(`server metrics: scraped directly from ${server.snapshot.source.endpoints.length} /metrics endpoint(s) during the run (no Prometheus)`);
  const report = await generateReport(outDir, { prometheusUrl: server.prometheusUrl, serverMetrics: server.snapshot, baseline: finish.baseline, log, scrapeIntervalSeconds: finish.scrapeIntervalSeconds, rateWindowSeconds: finish.rateWindowSeconds });
  log(`report: ${report.html}`);
  if (finish.grafanaUrl) await postAnnotations(finish.grafanaUrl, runAnnotations(loadLocated(outDir, 'run').result), log);
  if (!finish.gate || !finish.baseline) return 0;
  const gate = gateAgainstBaseline(outDir, finish.baseline, finish.compare);
  process.stdout.write(gate.markdown);
  log(`gate against ${finish.baseline}: ${gate.verdict}`);
  return gate.exitCode;
}

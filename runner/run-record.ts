import { analyzeAvailability } from '../faults/availability.js';
import { RESULT_SCHEMA_VERSION, type Reconciliation, type ResultFile } from '../recorder/result-schema.js';
import { buildSummary } from '../recorder/summary.js';
import { foundOf } from './reconcile.js';
import type { RunContext } from './run-context.js';

const allPhases = ['warmup', 'steady', 'cooldown', 'drain'] as const;

/**
 * What the run has measured and decided so far, and the result built from it (result.json: the
 * ResultJson output writes it at the start, every 10 s or more, and at the end).
 */
export class RunRecord {
  status: ResultFile['status'] = 'running';
  reconciliation: Reconciliation | null = null;
  cpuSeconds = 0;
  terminatedByCleanup = 0;
  readonly extraInvalid: string[] = [];
  readonly tags: string[];

  constructor(private readonly ctx: RunContext) {
    this.tags = ctx.plan.mix.map((m) => m.tag);
  }

  /** Acknowledged starts so far, every phase. */
  started(): number {
    return this.ctx.timeline.totals([...allPhases], false).counts.started ?? 0;
  }

  result(): ResultFile {
    const { plan, timeline: tl, injector, t0Epoch, e2e, hlog, segment, resources } = this.ctx;
    const { status, reconciliation } = this;
    const records = tl.records();
    const faults = injector?.list() ?? [];
    // Found by the server beyond the acknowledged starts: ambiguous failures (UNAVAILABLE after the request went out) that did start.
    const startedAnswerLost = reconciliation ? Math.max(0, foundOf(reconciliation) - this.started()) : 0;
    // Mid-run, the newest seconds still have open calls and unreported completions: judged by errors only.
    const finalUntilS = status === 'running' ? (tl.latestComplete()?.t ?? -1) + 1 : undefined;
    const availability = analyzeAvailability(records, faults, { startedAnswerLost, lostWork: reconciliation?.unaccounted ?? 0, finalUntilS });
    const showAvailability = faults.length > 0 || availability.windows.length > 0;
    const { summary, histograms } = buildSummary({
      timeline: tl,
      openModel: Boolean(plan.profile),
      thresholds: plan.thresholds,
      tags: this.tags,
      reconciliation,
      bounds: plan.bounds,
      generators: plan.generators,
      cpuSeconds: this.cpuSeconds,
      terminatedByCleanup: this.terminatedByCleanup,
      extraInvalidReasons: this.extraInvalid,
      faults,
      availability,
      plannedDurationS: plan.plannedDurationS,
      inProgress: status === 'running',
    });
    const steadyStart = t0Epoch + plan.warmupS * 1000;
    const steadyEnd = t0Epoch + Math.max(plan.warmupS, tl.loadEndS - plan.cooldownS) * 1000;
    return {
      schemaVersion: RESULT_SCHEMA_VERSION,
      runId: plan.runId,
      status,
      startedAt: new Date(t0Epoch).toISOString(),
      endedAt: status === 'running' ? null : new Date().toISOString(),
      window: { start: new Date(steadyStart).toISOString(), end: new Date(steadyEnd).toISOString() },
      scenario: { name: plan.scenario.name, description: plan.scenario.description, config: { ...plan.scenario, generators: plan.generators, inFlightCap: plan.inFlightCap, overflow: plan.overflow } },
      environment: { ...this.ctx.environment, workerEndpoints: e2e.endpoints() },
      timeline: records,
      summary,
      hlogFile: hlog.files[0],
      hlogFiles: [...hlog.files],
      histograms,
      ...(segment ? { segment } : {}),
      ...(showAvailability ? { faults, availability } : {}),
      resources: resources.usage(),
    };
  }
}

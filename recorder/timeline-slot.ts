import { newHistogram, summarize, type Histogram } from '../metrics/histogram.js';
import type { GeneratorHealth } from '../generator/interval-recorder.js';
import type { IntervalRecord, LatencyStats, Phase } from './result-schema.js';

/** The latency metrics of the timeline and the summary (untagged recorder keys). */
export const latencyMetrics = ['start', 'startService', 'e2e', 'signal', 'update', 'query', 'schedulingLag'] as const;

/** One second of the coordinator's timeline (recorder/timeline.ts), and how it renders. */
export interface Slot {
  counts: Record<string, number>;
  /** Dropped (set to undefined) once folded into the phase totals. */
  histograms?: Map<string, Histogram>;
  e2e?: Histogram;
  /**
   * A folded slot's e2e histogram, encoded: a live 32-bit HDR histogram is ~90 KB, so keeping one
   * per second would grow a soak's coordinator by ~300 MB an hour. Decoded only for a late arrival.
   */
  e2eEncoded?: string;
  /** Late worker intervals of a folded slot, encoded, merged into e2eEncoded when its record is next read. */
  e2eLate?: string[];
  /** Per generator: its state when the interval's second ended, and its calls still without an outcome. */
  reported: Map<number, { inFlight: number; queued: number; health: GeneratorHealth; pending: number }>;
  completed: number;
  failed: number;
  canceled: number;
  record?: IntervalRecord;
  folded?: Phase;
}

export function latencyStats(h: Histogram): LatencyStats {
  const { count, mean, p50, p90, p99, p999, max } = summarize(h);
  return { count, mean, p50, p90, p99, p999, max };
}

/** The histogram under `key`, created empty when missing. */
export function histogramOf(map: Map<string, Histogram>, key: string): Histogram {
  let h = map.get(key);
  if (!h) map.set(key, (h = newHistogram()));
  return h;
}

export function addInto(map: Map<string, Histogram>, key: string, h: Histogram): void {
  const existing = map.get(key);
  if (existing) existing.add(h);
  else {
    const copy = newHistogram(Math.max(2, h.maxValue));
    copy.add(h);
    map.set(key, copy);
  }
}

export interface Totals {
  histograms: Map<string, Histogram>;
  counts: Record<string, number>;
  completed: number;
  failed: number;
  canceled: number;
  durationS: number;
}

/** A slot as a timeline record: counters, errors by code, latency percentiles, generator health. */
export function renderSlot(index: number, slot: Slot, at: { phase: Phase; target: number; finished: number }): IntervalRecord {
  const c = slot.counts;
  const errors: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) {
    const m = /^errors\{code:(.+)\}$/.exec(k);
    if (m) errors[m[1]!] = v;
  }
  const latencyMs: Record<string, LatencyStats> = {};
  for (const metric of latencyMetrics) {
    const h = metric === 'e2e' ? slot.e2e : slot.histograms?.get(metric);
    if (h && h.totalCount > 0) latencyMs[metric] = latencyStats(h);
  }
  const reports = [...slot.reported.values()];
  return {
    t: index,
    durationS: 1,
    phase: at.phase,
    target: at.target,
    sent: c.sent ?? 0,
    started: c.started ?? 0,
    completed: slot.completed,
    failed: slot.failed,
    finished: at.finished,
    dropped: c.dropped ?? 0,
    errors,
    inFlight: reports.reduce((s, r) => s + r.inFlight + r.queued, 0),
    latencyMs,
    generator: {
      eventLoopDelayP99Ms: Math.max(0, ...reports.map((r) => r.health.eventLoopDelayP99Ms)),
      cpuPercent: Math.round(reports.reduce((s, r) => s + r.health.cpuPercent, 0) * 10) / 10,
      rssMb: Math.round(reports.reduce((s, r) => s + r.health.rssMb, 0)),
    },
  };
}

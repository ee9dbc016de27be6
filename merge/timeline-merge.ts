import type { IntervalRecord } from '../recorder/result-schema.js';

/** Adds `b`'s counters into `a` (same second of the run, another segment). */
function addRecord(a: IntervalRecord, b: IntervalRecord): IntervalRecord {
  const errors = { ...a.errors };
  for (const [code, n] of Object.entries(b.errors)) errors[code] = (errors[code] ?? 0) + n;
  return {
    ...a,
    target: a.target + b.target,
    sent: a.sent + b.sent,
    started: a.started + b.started,
    completed: a.completed + b.completed,
    failed: a.failed + b.failed,
    finished: (a.finished ?? 0) + (b.finished ?? 0),
    dropped: a.dropped + b.dropped,
    errors,
    inFlight: a.inFlight + b.inFlight,
    // Latencies are not combined here: they come from the merged interval histograms.
    latencyMs: {},
    generator: {
      eventLoopDelayP99Ms: Math.max(a.generator.eventLoopDelayP99Ms, b.generator.eventLoopDelayP99Ms),
      cpuPercent: Math.round((a.generator.cpuPercent + b.generator.cpuPercent) * 10) / 10,
      rssMb: a.generator.rssMb + b.generator.rssMb,
    },
  };
}

/**
 * The segments' timelines as one: counters summed per second of the shared t0 (each segment's second k
 * is shifted by how far its t0 is from the merged one). A second's phase is the first segment's.
 */
export function mergeTimelines(timelines: { offsetS: number; records: IntervalRecord[] }[]): IntervalRecord[] {
  const byT = new Map<number, IntervalRecord>();
  for (const { offsetS, records } of timelines) {
    for (const r of records) {
      const t = r.t + offsetS;
      const existing = byT.get(t);
      byT.set(t, existing ? addRecord(existing, r) : { ...r, t, latencyMs: {}, finished: r.finished ?? 0 });
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

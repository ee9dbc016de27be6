/** Synthetic per-second timelines for the availability tests: 5 starts/s for 60 s, then a drain tail. */
import type { FaultRecord, IntervalRecord } from '../../recorder/result-schema.js';

export const RATE = 5;
export const LOAD_S = 60;

export interface TimelineOptions {
  /** End-to-end latency in whole seconds: a start in second t finishes in t + e2eS (0: the same second). */
  e2eS?: number;
  /** Seconds after the load with nothing sent, while late finishes come in. */
  drainS?: number;
  /** Record `latencyMs.e2e` (as workers report it); false: no e2e latencies known. */
  withE2ELatency?: boolean;
  /** Change a second's starts (errors, started) before finishes are derived from them. */
  starts?: (r: IntervalRecord) => void;
  /** Change a second's finishes after they were derived (a stall, a backlog). */
  finishes?: (r: IntervalRecord) => void;
}

function record(t: number, loaded: boolean): IntervalRecord {
  const n = loaded ? RATE : 0;
  return {
    t,
    durationS: 1,
    phase: loaded ? 'steady' : 'drain',
    target: n,
    sent: n,
    started: n,
    completed: n,
    failed: 0,
    finished: 0,
    dropped: 0,
    errors: {},
    inFlight: 0,
    latencyMs: {},
    generator: { eventLoopDelayP99Ms: 1, cpuPercent: 5, rssMb: 100 },
  };
}

export function timeline(opts: TimelineOptions = {}): IntervalRecord[] {
  const { e2eS = 0, drainS = 5, withE2ELatency = true } = opts;
  const records = Array.from({ length: LOAD_S + drainS }, (_, t) => record(t, t < LOAD_S));
  for (const r of records) opts.starts?.(r);
  for (const r of records) {
    r.finished = records[r.t - e2eS]?.started ?? 0;
    const p50 = e2eS * 1000 + 200;
    if (withE2ELatency && r.started > 0) r.latencyMs.e2e = { count: r.started, mean: p50, p50, p90: p50, p99: p50, p999: p50, max: p50 };
  }
  for (const r of records) opts.finishes?.(r);
  return records;
}

export function fault(over: Partial<FaultRecord> & Pick<FaultRecord, 'action' | 'target' | 'firedAtS'>): FaultRecord {
  const atS = over.atS ?? Math.floor(over.firedAtS ?? 0);
  return { spec: `at=${atS}s,action=${over.action},target=${over.target}`, atS, restartedAtS: null, ok: true, outcome: 'test', ...over };
}

export const inRange = (t: number, from: number, to: number): boolean => t >= from && t < to;

import type { ResourceComponent, ResourceKind, ResultFile } from '../../recorder/result-schema.js';
import type { Evidence } from './types.js';

/**
 * The run's per-second resource samples (result.resources) summarised over its steady window, the
 * same window every other rule reads: host busy cores and each component's share of them.
 */

/** Host CPU at or above this fraction of its cores (sustained) is saturated: work queues for a core. */
export const hostBusyLimit = 0.9;
/** A Node process at this many cores is bound by its JavaScript thread (one per process). */
export const processCoreLimit = 0.9;
/** A component taking at least this share of a saturated host's busy CPU is named as the cause. */
export const dominantShare = 0.35;

export const harnessKinds: ResourceKind[] = ['worker', 'generator', 'coordinator'];

export interface Consumer {
  id: string;
  kind: ResourceKind | 'other';
  services?: string[];
  /** Mean cores over the window (shares add up to the host's busy mean). */
  mean: number;
  /** p75 over the window: "sustained", as evidence.ts measures it. */
  sustained: number;
  peakRssMb: number | null;
}

export interface ResourceWindow {
  cores: number;
  /** Sustained (p75) and mean busy cores of the host. */
  busySustained: number;
  busyMean: number;
  load1Sustained: number | null;
  memTotalMb: number | null;
  memAvailableMin: number | null;
  /** Every component plus `other` (host busy − the named components), highest mean first. */
  consumers: Consumer[];
  /** e.g. "steady window, t=5–25 s, 20 samples". */
  label: string;
  missing: string[];
}

const values = (xs: (number | null)[], idx: number[]) => idx.map((i) => xs[i]).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
function p75(xs: number[]): number {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(0.75 * sorted.length) - 1))]!;
}
const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/** Samples whose second ends inside the steady window (all samples when the run has no steady phase). */
function windowIndices(result: ResultFile): { idx: number[]; from: number; to: number } {
  const t = result.resources!.t;
  const steady = result.timeline.filter((r) => r.phase === 'steady');
  if (!steady.length) return { idx: t.map((_, i) => i), from: t[0] ?? 0, to: t.at(-1) ?? 0 };
  const from = steady[0]!.t;
  const to = steady.at(-1)!.t + steady.at(-1)!.durationS;
  return { idx: t.flatMap((x, i) => (x > from && x <= to + 0.5 ? [i] : [])), from, to };
}

export function resourceWindow(result: ResultFile): ResourceWindow | undefined {
  const res = result.resources;
  if (!res || res.t.length === 0) return undefined;
  const { idx, from, to } = windowIndices(result);
  const busy = values(res.host.busyCores, idx);
  if (busy.length === 0) return undefined;
  const consumers: Consumer[] = res.components.map((c: ResourceComponent) => {
    const cpu = values(c.cpuCores, idx);
    const rss = values(c.rssMb, idx);
    return { id: c.id, kind: c.kind, services: c.services, mean: round(mean(cpu), 3), sustained: round(p75(cpu), 3), peakRssMb: rss.length ? Math.max(...rss) : null };
  });
  const named = consumers.reduce((a, c) => a + c.mean, 0);
  consumers.push({ id: 'other', kind: 'other', mean: round(Math.max(0, mean(busy) - named), 3), sustained: 0, peakRssMb: null });
  consumers.sort((a, b) => b.mean - a.mean);
  const load = values(res.host.load1, idx);
  const mem = values(res.host.memAvailableMb, idx);
  return {
    cores: res.host.cores,
    busySustained: round(p75(busy), 3),
    busyMean: round(mean(busy), 3),
    load1Sustained: load.length ? p75(load) : null,
    memTotalMb: res.host.memTotalMb,
    memAvailableMin: mem.length ? Math.min(...mem) : null,
    consumers,
    label: `steady window t=${round(from, 1)}–${round(to, 1)} s, ${busy.length} samples`,
    missing: res.missing,
  };
}

export const isHarness = (c: Pick<Consumer, 'kind'>) => (harnessKinds as string[]).includes(c.kind);

/** How a component reads in evidence and actions: `history-0 (history)`, `bench-worker-0 (load harness)`. */
export function consumerLabel(c: Consumer): string {
  if (c.kind === 'other') return 'other processes on the host (not this run)';
  if (isHarness(c)) return `${c.id} (load harness)`;
  if (c.services?.length) return `${c.id} (${c.services.join(', ')})`;
  return c.id;
}

export function saturated(w: ResourceWindow): boolean {
  return w.busySustained >= hostBusyLimit * w.cores;
}

/** A share of the host's mean busy CPU, 0..1. */
export const shareOf = (w: ResourceWindow, cores: number) => (w.busyMean > 0 ? Math.min(1, cores / w.busyMean) : 0);

export function hostBusyEvidence(w: ResourceWindow): Evidence {
  return { metric: 'host CPU busy (/proc/stat)', where: `${w.cores} cores`, observed: w.busySustained, limit: round(hostBusyLimit * w.cores), unit: 'cores', stat: `sustained (p75, ${w.label})` };
}

export function consumerEvidence(w: ResourceWindow, c: Consumer, limit: number | null = null): Evidence {
  const share = Math.round(shareOf(w, c.mean) * 100);
  return { metric: 'process CPU (utime+stime, /proc/PID/stat)', where: consumerLabel(c), observed: c.mean, limit, unit: 'cores', stat: `mean, ${share}% of the busy CPU (${w.label})` };
}

/** "history-0 0.82, postgres 0.41, ...": the top consumers for an action sentence. */
export function topConsumersText(w: ResourceWindow, n = 4): string {
  return w.consumers
    .filter((c) => c.mean > 0)
    .slice(0, n)
    .map((c) => `${c.id} ${c.mean.toFixed(2)}`)
    .join(', ');
}

/**
 * Between rules scored from metrics alone (≤ 39.9) and configured limits the load hits (≥ 45): a
 * saturated resource explains the latency symptoms the other rules see (slow persistence, slow
 * schedule-to-start, a late generator), but not a limit someone set. The bigger the share of the
 * named culprit, the higher; at most 44.
 */
export function resourceScore(share: number): number {
  return 41 + 3 * Math.min(1, Math.max(0, share));
}

/**
 * The consumers matching `pick`, when they are the cause: on a saturated host they take at least
 * `dominantShare` of the busy CPU, or on any host they use nearly all of its cores.
 */
export function dominant(w: ResourceWindow, pick: (c: Consumer) => boolean): { members: Consumer[]; mean: number; share: number } | undefined {
  const members = w.consumers.filter((c) => c.kind !== 'other' && pick(c) && c.mean > 0);
  const total = members.reduce((a, c) => a + c.mean, 0);
  const share = shareOf(w, total);
  const whole = total >= hostBusyLimit * w.cores;
  return members.length && ((saturated(w) && share >= dominantShare) || whole) ? { members, mean: total, share } : undefined;
}

import { addEncodedInto, encodeHistogram, mergeEncoded, newHistogram, type Histogram } from '../metrics/histogram.js';
import type { HlogFile } from './hlog.js';
import type { IntervalSnapshot } from '../generator/interval-recorder.js';
import type { IntervalRecord, Phase } from './result-schema.js';
import { arrivalsBefore, type RateProfile } from '../schedule/schedule.js';
import { ownedOf, wholeRun, type Segment } from '../schedule/segment.js';
import { addInto, histogramOf, latencyStats, renderSlot, type Slot, type Totals } from './timeline-slot.js';

export { latencyMetrics, latencyStats, type Totals } from './timeline-slot.js';
export type { E2EInterval } from '../workers/stats-client.js';
import type { E2EInterval } from '../workers/stats-client.js';

const phases: Phase[] = ['warmup', 'steady', 'cooldown', 'drain'];

function maxOf(values: Uint32Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

/**
 * The coordinator's view of the run: records every generator's samples and merges the workers'
 * end-to-end intervals into 1-s slots, assigns phases, renders the timeline and keeps per-phase
 * totals. HDR merges and percentiles are costly, so each slot is rendered and folded into its
 * phase's totals once, when its phase can no longer change (older than the cooldown window: a
 * SIGINT only moves the load end to "now"); only the newest slots are merged on demand.
 */
export class Timeline {
  private readonly slots = new Map<number, Slot>();
  private readonly folded = new Map<Phase, Totals>(phases.map((p) => [p, { histograms: new Map(), counts: {}, completed: 0, failed: 0, canceled: 0, durationS: 0 }]));
  private foldedUpTo = -1;
  private hlogged = -1;
  private newest = -1;
  /** The newest slot the workers have reported on (their intervals trail the generators' by a poll). */
  private e2eNewest = -1;
  /** Workflows the workers saw finish per wall-clock second (the live view's "done"). */
  private readonly finishedIn = new Map<number, number>();
  private end: number;
  private version = 0;
  private readonly cache = new Map<string, { version: number; totals: Totals }>();

  constructor(
    private readonly t0Epoch: number,
    private readonly generators: number,
    private readonly profile: RateProfile | undefined,
    plannedDurationS: number,
    private readonly warmupS: number,
    private readonly cooldownS: number,
    private readonly hlog?: HlogFile,
    /** The execution segment this process runs: its target is its share of the schedule. */
    private readonly segment: Segment = wholeRun,
  ) {
    this.end = plannedDurationS;
  }

  /** Seconds from t0 at which starting stopped (end of schedule, SIGINT or abort). */
  get loadEndS(): number {
    return this.end;
  }

  set loadEndS(s: number) {
    this.end = s;
    this.version++;
  }

  private slot(index: number): Slot {
    let s = this.slots.get(index);
    if (!s) this.slots.set(index, (s = { counts: {}, histograms: new Map(), reported: new Map(), completed: 0, failed: 0, canceled: 0 }));
    this.newest = Math.max(this.newest, index);
    return s;
  }

  /**
   * A generator's report on one interval of intended time: its first (when the second ended) or a
   * delta (outcomes that arrived later). Outcomes reported after the interval's phase ended are counted
   * as `lateOutcomes`: they are in the phase's statistics, and the count says how many waited for it.
   */
  addSnapshot(generator: number, snap: IntervalSnapshot): void {
    const slot = this.slot(snap.index);
    const counts = { ...snap.counts };
    if ((counts.outcomes ?? 0) > 0 && snap.atS > this.phaseEndS(snap.index)) counts.lateOutcomes = counts.outcomes!;
    for (const [k, v] of Object.entries(counts)) slot.counts[k] = (slot.counts[k] ?? 0) + v;
    const histograms = slot.folded ? new Map<string, Histogram>() : (slot.histograms ?? new Map<string, Histogram>());
    for (const [k, samples] of Object.entries(snap.samplesUs)) {
      let h = histograms.get(k);
      // Sized for the largest sample up front: growing bucket by bucket reallocates and copies each time.
      if (!h) histograms.set(k, (h = newHistogram(Math.max(2, maxOf(samples)))));
      for (const us of samples) h.recordValue(us);
    }
    const before = slot.reported.get(generator);
    if (snap.first) slot.reported.set(generator, { ...snap.first, pending: snap.pending });
    else if (before) before.pending = snap.pending;
    if (slot.folded) {
      // Only counts no call waits for (a closed-model VU's workflow result) reach a folded slot: its
      // phase is final, add them there; the slot's rendered latencies stay as they were.
      const t = this.folded.get(slot.folded)!;
      for (const [k, v] of Object.entries(counts)) t.counts[k] = (t.counts[k] ?? 0) + v;
      for (const [k, h] of histograms) addInto(t.histograms, k, h);
      if (slot.record) slot.record = { ...this.render(snap.index, slot), latencyMs: slot.record.latencyMs };
    } else {
      slot.histograms = histograms;
      slot.record = undefined;
    }
    this.version++;
    this.writeSealedToHlog();
    this.fold();
  }

  /** Seconds from t0 at which the phase of interval `index` ends (drain never does). */
  private phaseEndS(index: number): number {
    const phase = this.phaseOf(index);
    if (phase === 'warmup') return this.warmupS;
    if (phase === 'steady') return this.loadEndS - this.cooldownS;
    if (phase === 'cooldown') return this.loadEndS;
    return Infinity;
  }

  /**
   * The workers' end-to-end intervals: each counts in the slot of its intended start second, however
   * late it finished (a slot's figures are final only after the drain); completions per wall-clock
   * second are kept apart for the live view.
   */
  addE2E(intervals: E2EInterval[]): void {
    for (const iv of intervals) {
      const index = Math.max(0, Math.floor(((iv.startMs + iv.endMs) / 2 - this.t0Epoch) / 1000));
      const slot = this.slot(index);
      const period = Math.floor((iv.reportedUntilMs - this.t0Epoch) / 1000) - 1;
      this.e2eNewest = Math.max(this.e2eNewest, period);
      this.finishedIn.set(period, (this.finishedIn.get(period) ?? 0) + iv.completed + iv.failed + iv.canceled);
      const periodSlot = this.slots.get(period);
      if (periodSlot?.record) periodSlot.record = { ...periodSlot.record, finished: this.finishedIn.get(period) };
      slot.completed += iv.completed;
      slot.failed += iv.failed;
      slot.canceled += iv.canceled;
      let added: { count: number; maxUs: number };
      if (slot.folded) {
        // A late worker interval for a folded slot: its phase is final, add it there directly.
        const t = this.folded.get(slot.folded)!;
        added = addEncodedInto(histogramOf(t.histograms, 'e2e'), iv.histogram);
        t.completed += iv.completed;
        t.failed += iv.failed;
        t.canceled += iv.canceled;
        // Merged into the slot's own histogram once, when its record is read (behind a saturated
        // server every interval arrives late: decoding and encoding the slot each time cost the most).
        (slot.e2eLate ??= []).push(iv.histogram);
      } else {
        added = addEncodedInto((slot.e2e ??= newHistogram()), iv.histogram);
        slot.record = undefined;
      }
      if (added.count > 0) this.hlog?.writeEncoded('e2e', iv.histogram, added.maxUs, iv.startMs, iv.endMs);
      this.version++;
    }
  }

  /** Final: every generator reported the interval and has no call intended in it without an outcome. */
  private sealed(slot: Slot | undefined): boolean {
    return Boolean(slot && slot.reported.size >= this.generators && [...slot.reported.values()].every((r) => r.pending === 0));
  }

  /** Final generator intervals (by intended time): log them once, in order. */
  private writeSealedToHlog(): void {
    if (!this.hlog) return;
    for (let i = this.hlogged + 1; this.sealed(this.slots.get(i)); i++) {
      const start = this.t0Epoch + i * 1000;
      for (const [key, h] of this.slots.get(i)!.histograms ?? []) this.hlog.write(key, h, start, start + 1000);
      this.hlogged = i;
    }
  }

  private fold(): void {
    const safe = this.newest - this.cooldownS - 3;
    for (let i = this.foldedUpTo + 1; i <= safe && this.sealed(this.slots.get(i)); i++) {
      const slot = this.slots.get(i)!;
      slot.record ??= this.render(i, slot);
      const phase = this.phaseOf(i);
      this.addSlotTo(this.folded.get(phase)!, i, slot);
      slot.folded = phase;
      slot.histograms = undefined;
      if (slot.e2e) slot.e2eEncoded = encodeHistogram(slot.e2e);
      slot.e2e = undefined;
      this.foldedUpTo = i;
    }
  }

  private addSlotTo(t: Totals, index: number, slot: Slot, withHistograms = true): void {
    t.durationS += Math.max(0, Math.min(1, this.loadEndS - index));
    for (const [k, v] of Object.entries(slot.counts)) t.counts[k] = (t.counts[k] ?? 0) + v;
    if (withHistograms) {
      for (const [k, h] of slot.histograms ?? []) addInto(t.histograms, k, h);
      if (slot.e2e) addInto(t.histograms, 'e2e', slot.e2e);
    }
    t.completed += slot.completed;
    t.failed += slot.failed;
    t.canceled += slot.canceled;
  }

  phaseOf(index: number): Phase {
    if (index >= this.loadEndS) return 'drain';
    if (index < this.warmupS) return 'warmup';
    if (index >= this.loadEndS - this.cooldownS) return 'cooldown';
    return 'steady';
  }

  targetIn(index: number, sent: number): number {
    if (!this.profile) return sent;
    const owned = (tS: number) => ownedOf(arrivalsBefore(this.profile!, Math.min(tS, this.loadEndS)), this.segment);
    return owned(index + 1) - owned(index);
  }

  private render(index: number, slot: Slot): IntervalRecord {
    return renderSlot(index, slot, { phase: this.phaseOf(index), target: this.targetIn(index, slot.counts.sent ?? 0), finished: this.finishedIn.get(index) ?? 0 });
  }

  /** The timeline, 0..newest interval (unfolded slots re-rendered when they changed or their phase did). */
  records(): IntervalRecord[] {
    const out: IntervalRecord[] = [];
    for (let i = 0; i <= this.newest; i++) {
      const slot = this.slot(i);
      if (slot.e2eLate) this.mergeLate(slot);
      if (!slot.record || (!slot.folded && slot.record.phase !== this.phaseOf(i))) slot.record = this.render(i, slot);
      out.push(slot.record);
    }
    return out;
  }

  /** A folded slot's late end-to-end intervals, merged into its histogram and record. */
  private mergeLate(slot: Slot): void {
    const e2e = mergeEncoded([...(slot.e2eEncoded ? [slot.e2eEncoded] : []), ...slot.e2eLate!]);
    slot.e2eLate = undefined;
    slot.e2eEncoded = encodeHistogram(e2e);
    if (slot.record) slot.record = { ...slot.record, completed: slot.completed, failed: slot.failed, latencyMs: { ...slot.record.latencyMs, e2e: latencyStats(e2e) } };
  }

  /**
   * Histograms (unless counts only) and counts over the intervals of the given phases: folded
   * totals plus the newest slots; cached until the timeline changes.
   */
  totals(wanted: Phase[] = ['steady'], withHistograms = true): Totals {
    const key = `${wanted.join(',')}|${withHistograms}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) return hit.totals;
    const totals = this.computeTotals(wanted, withHistograms);
    this.cache.set(key, { version: this.version, totals });
    return totals;
  }

  private computeTotals(wanted: Phase[], withHistograms: boolean): Totals {
    const out: Totals = { histograms: new Map(), counts: {}, completed: 0, failed: 0, canceled: 0, durationS: 0 };
    for (const p of wanted) {
      const t = this.folded.get(p)!;
      for (const [k, v] of Object.entries(t.counts)) out.counts[k] = (out.counts[k] ?? 0) + v;
      if (withHistograms) for (const [k, h] of t.histograms) addInto(out.histograms, k, h);
      out.completed += t.completed;
      out.failed += t.failed;
      out.canceled += t.canceled;
      out.durationS += t.durationS;
    }
    for (let i = this.foldedUpTo + 1; i <= this.newest; i++) {
      const slot = this.slots.get(i);
      if (slot && wanted.includes(this.phaseOf(i))) this.addSlotTo(out, i, slot, withHistograms);
    }
    return out;
  }

  /**
   * The latest interval the workers have reported on, no newer than latestComplete(): the live view
   * and the runner's gauges take end-to-end figures from it, so a worker report that is still on its
   * way never shows as "0 completed".
   */
  latestWithE2E(): IntervalRecord | undefined {
    const index = Math.min(this.e2eNewest, this.latestComplete()?.t ?? -1);
    const slot = this.slots.get(index);
    if (!slot) return undefined;
    // Completions as they happen in that second, whichever second they were meant to start in.
    const record = (slot.record ??= this.render(index, slot));
    return { ...record, completed: record.finished ?? 0 };
  }

  /**
   * The latest interval every generator has reported on (for the live view). It may still wait for
   * late outcomes: the live view shows what is known now, the result files what is final.
   */
  latestComplete(): IntervalRecord | undefined {
    for (let i = this.newest; i >= 0; i--) {
      const slot = this.slots.get(i);
      if (slot && slot.reported.size >= this.generators) return (slot.record ??= this.render(i, slot));
    }
    return undefined;
  }
}

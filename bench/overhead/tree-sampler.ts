import { childrenByParent, ProcReader, treeUsage } from '../../metrics/process-tree.js';

interface Sample {
  atMs: number;
  cpuSeconds: number;
  rssMb: number;
}

/**
 * CPU-seconds and RSS of process trees (a root and its descendants, live or reaped), read from /proc
 * once a second in one pass for every tree, so the CPU spent inside any time window can be read off
 * afterwards (linear between samples). Cheap on purpose: the benchmark must not load the host it measures.
 */
export class TreeSampler {
  private readonly proc = new ProcReader();
  private readonly samples = new Map<number, Sample[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 1000) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Starts sampling the tree under `root` (from this moment). */
  watch(root: number): void {
    this.samples.set(root, []);
    this.sample();
  }

  sample(): void {
    if (this.samples.size === 0) return;
    const all = this.proc.all();
    const byParent = childrenByParent(all);
    const atMs = Date.now();
    for (const [root, list] of this.samples) {
      const { cpuSeconds, rssMb } = treeUsage(root, all, byParent);
      if (rssMb > 0) list.push({ atMs, cpuSeconds, rssMb });
    }
  }

  /** Samples once more and stops watching `root` (its figures stay readable). */
  unwatch(root: number): void {
    this.sample();
    const list = this.samples.get(root) ?? [];
    this.samples.delete(root);
    this.finished.set(root, list);
  }

  private readonly finished = new Map<number, Sample[]>();

  private series(root: number): Sample[] {
    return this.samples.get(root) ?? this.finished.get(root) ?? [];
  }

  /** CPU-seconds of the tree at `atMs`, interpolated; clamped to the first and last sample. */
  cpuAt(root: number, atMs: number): number {
    const s = this.series(root);
    if (s.length === 0) return 0;
    if (atMs <= s[0]!.atMs) return s[0]!.cpuSeconds;
    for (let i = 1; i < s.length; i++) {
      const a = s[i - 1]!;
      const b = s[i]!;
      if (atMs <= b.atMs) return a.cpuSeconds + ((b.cpuSeconds - a.cpuSeconds) * (atMs - a.atMs)) / Math.max(1, b.atMs - a.atMs);
    }
    return s[s.length - 1]!.cpuSeconds;
  }

  cpuBetween(root: number, fromMs: number, toMs: number): number {
    return this.cpuAt(root, toMs) - this.cpuAt(root, fromMs);
  }

  /** The highest tree RSS seen between two instants (MB). */
  peakRssMb(root: number, fromMs: number, toMs: number): number {
    return Math.max(
      0,
      ...this.series(root)
        .filter((x) => x.atMs >= fromMs && x.atMs <= toMs)
        .map((x) => x.rssMb),
    );
  }

  stop(): void {
    clearInterval(this.timer);
    this.proc.close();
  }
}

import { UsageError } from '../core/errors.js';
import { findKind, workflowArgs } from '../catalog/kinds.js';
import type { Interaction, WorkloadEntry } from '../scenarios/types.js';

/** A mix entry ready to start: the workflow type behind its kind, validated input, its tag. */
export interface ResolvedEntry {
  tag: string;
  kind: string;
  workflowType: string;
  /** The workflow arguments (validated input with defaults, plus any binary payload argument). */
  args: unknown[];
  weight: number;
  interactions: Interaction[];
}

/** Maps a kind and its input to the workflow type to start (throws UsageError for bad ones). */
export type KindResolver = (kind: string, input: unknown) => { workflowType: string; args: unknown[] };

export function resolveMix(mix: WorkloadEntry[], resolve: KindResolver): ResolvedEntry[] {
  if (!Array.isArray(mix) || mix.length === 0) throw new UsageError('the workload mix is empty: give at least one {kind, weight, input}');
  return mix.map((entry, i) => {
    if (!entry || typeof entry.kind !== 'string') throw new UsageError(`mix[${i}]: expected {kind, weight?, input?}`);
    const weight = entry.weight ?? 1;
    if (!(typeof weight === 'number' && weight > 0 && Number.isFinite(weight))) throw new UsageError(`mix[${i}] (${entry.kind}): weight must be a positive number, got ${JSON.stringify(entry.weight)}`);
    for (const it of entry.interactions ?? []) {
      if (!['signal', 'update', 'query'].includes(it?.type) || typeof it.name !== 'string') throw new UsageError(`mix[${i}] (${entry.kind}): interactions need {type: signal|update|query, name}`);
      if (it.count !== undefined && !(Number.isInteger(it.count) && it.count >= 1)) throw new UsageError(`mix[${i}] (${entry.kind}): interaction count must be a positive integer`);
    }
    const resolved = resolve(entry.kind, entry.input);
    if (entry.workflowType !== undefined && entry.kind !== 'program') throw new UsageError(`mix[${i}] (${entry.kind}): workflowType is for kind program only (any other kind has its own type)`);
    const workflowType = entry.workflowType ?? resolved.workflowType;
    const { args } = resolved;
    const tag = entry.tag ?? entry.kind;
    if (!/^[\w.-]+$/.test(tag)) throw new UsageError(`mix[${i}]: tag ${JSON.stringify(tag)} may only use letters, digits, _ . -`);
    return { tag, kind: entry.kind, workflowType, args, weight, interactions: entry.interactions ?? [] };
  });
}

/** 1/φ: the Weyl sequence frac(n/φ) spreads consecutive arrivals most evenly over [0, 1). */
const INV_PHI = 0.6180339887498949;

/**
 * Picks the mix entry of arrival n deterministically, so N generator processes (each owning every
 * N-th arrival) together start exactly the mix one process would. The pick follows a low-discrepancy
 * sequence, not a hash: over any n consecutive arrivals each entry's count is within a few of
 * n × its weight share (a hash drifts like a coin: ±16% for a 10% entry over 360 starts), so a
 * mix reproduces per-type rates even in short runs.
 */
export class WorkloadMix {
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(
    readonly entries: ResolvedEntry[],
    private readonly seed = 0x5eed,
  ) {
    let sum = 0;
    this.cumulative = entries.map((e) => (sum += e.weight));
    this.total = sum;
  }

  pick(n: number): ResolvedEntry {
    if (this.entries.length === 1) return this.entries[0]!;
    const u = ((n * INV_PHI + this.seed / 4294967296) % 1) * this.total;
    const i = this.cumulative.findIndex((c) => u < c);
    return this.entries[i < 0 ? this.entries.length - 1 : i]!;
  }

  get tags(): string[] {
    return [...new Set(this.entries.map((e) => e.tag))];
  }
}

/** The real catalog (workflows/kinds.ts): unknown kinds and bad inputs are UsageErrors. */
export const catalogResolver: KindResolver = (kind, input) => ({ workflowType: findKind(kind).workflowType, args: workflowArgs(kind, input) });

/**
 * Per workflow type, what production did: share of starts, start rate per minute, durations, status
 * mix (from the listed executions) and the typical shape (from sampled histories), with the program
 * step tree that reproduces it and what that program only approximates.
 */
import type { Interaction } from '../scenarios/types.js';
import type { Step } from '../workflows/types.js';
import type { ListedExecution } from './read.js';
import { shapeKey, stepCounts, type HistoryShape, type ObservedStep, type StepKindName } from './shape.js';

/** Activities moving at least this many bytes are reproduced as payload (echo) steps of that size. */
export const PAYLOAD_STEP_MIN_BYTES = 256;

export interface TypeProfile {
  type: string;
  starts: number;
  share: number;
  perMinute: { mean: number; p99: number; peak: number };
  durationMs: { p50: number; p90: number; p99: number; max: number } | null;
  status: Record<string, number>;
  sampled: number;
  /** Share of the sampled histories with the shape reproduced (the most common one). */
  typicalShare: number;
  counts: Record<StepKindName, number> | null;
  /** Medians over the typical histories, bytes. */
  payloadBytes: { workflowInput: number; workflowResult: number; activityInput: number; activityResult: number } | null;
  program: Step | null;
  interactions: Interaction[];
  approximations: string[];
}

const median = (xs: number[]): number => percentile(xs, 0.5);
function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]! : 0;
}
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Start counts per minute over [fromMinute, toMinute] (minutes since the epoch). */
export function perMinute(starts: number[], fromMinute: number, toMinute: number): TypeProfile['perMinute'] {
  const counts = new Array<number>(Math.max(1, toMinute - fromMinute + 1)).fill(0);
  for (const ms of starts) counts[Math.floor(ms / 60_000) - fromMinute]!++;
  return { mean: round(starts.length / counts.length), p99: percentile(counts, 0.99), peak: Math.max(...counts) };
}

function stepOf(observed: ObservedStep[], notes: Set<string>): Step {
  const s = observed[0]!;
  switch (s.kind) {
    case 'activity': {
      const bytes = Math.round(median(observed.map((o) => (o.kind === 'activity' ? Math.max(o.resultBytes, o.inputBytes) : 0))));
      if (bytes >= PAYLOAD_STEP_MIN_BYTES) {
        notes.add(`activities moving ≥ ${PAYLOAD_STEP_MIN_BYTES} bytes are echo activities of that size (their run time is not kept)`);
        return { kind: 'payload', bytes };
      }
      const ms = Math.round(median(observed.map((o) => (o.kind === 'activity' ? o.ms : 0))));
      return ms >= 5 ? { kind: 'activity', call: { name: 'sleep', ms } } : { kind: 'activity' };
    }
    case 'localActivity':
      notes.add('local activities are noop local activities');
      return { kind: 'localActivity' };
    case 'timer':
      return { kind: 'timer', ms: Math.max(1, Math.round(median(observed.map((o) => (o.kind === 'timer' ? o.ms : 0))))) };
    case 'child':
      notes.add("children are timers of the child's observed duration (their own histories are not read)");
      return { kind: 'child', program: { kind: 'timer', ms: Math.max(1, Math.round(median(observed.map((o) => (o.kind === 'child' ? o.ms : 0))))) } };
    case 'continueAsNew':
      notes.add('continue-as-new once per start (chain lengths are not followed)');
      return { kind: 'continueAsNew', times: 1 };
  }
}

/** The program of the typical shape: groups in order (parallel within one), signals awaited where they arrived. */
function programOf(typical: HistoryShape[], notes: Set<string>): { program: Step; interactions: Interaction[] } {
  const first = typical[0]!;
  const steps: Step[] = [];
  const interactions: Interaction[] = [];
  const signalsBefore = (g: number) => [...first.signals].filter(([, s]) => s.beforeGroup === g);
  first.groups.forEach((group, g) => {
    for (const [name, s] of signalsBefore(g)) steps.push({ kind: 'awaitSignal', name, count: s.count });
    const inner = group.map((_, i) =>
      stepOf(
        typical.map((t) => t.groups[g]![i]!),
        notes,
      ),
    );
    steps.push(inner.length === 1 ? inner[0]! : { kind: 'parallel', steps: inner });
  });
  for (const [name, s] of signalsBefore(first.groups.length)) steps.push({ kind: 'awaitSignal', name, count: s.count });
  for (const [name, s] of first.signals) {
    const delayMs = Math.round(median(typical.map((t) => t.signals.get(name)?.afterStartMs ?? 0)));
    interactions.push({ type: 'signal', name, count: s.count, delay: `${delayMs}ms` });
  }
  if (first.updates) notes.add(`${first.updates} update(s) per workflow are not reproduced (the program workflow has no update handler)`);
  return { program: { kind: 'sequence', steps }, interactions };
}

export function profileType(type: string, listed: ListedExecution[], total: number, minutes: [number, number], shapes: HistoryShape[]): TypeProfile {
  const closed = listed.flatMap((e) => (e.closeMs === null ? [] : [e.closeMs - e.startMs]));
  const status: Record<string, number> = {};
  for (const e of listed) status[e.status] = (status[e.status] ?? 0) + 1;
  const byKey = new Map<string, HistoryShape[]>();
  for (const s of shapes) byKey.set(shapeKey(s), [...(byKey.get(shapeKey(s)) ?? []), s]);
  const typical = [...byKey.values()].sort((a, b) => b.length - a.length)[0];
  const notes = new Set<string>();
  const built = typical ? programOf(typical, notes) : undefined;
  if (typical && typical.length < shapes.length) notes.add(`${shapes.length - typical.length} of ${shapes.length} sampled histories had another shape (${byKey.size} shapes); the most common one is reproduced`);
  if (typical && median(typical.map((t) => t.inputBytes)) > 0) notes.add('workflow input is the program itself: its original size is not reproduced');
  const activities = typical?.flatMap((t) => t.groups.flat().filter((s): s is Extract<ObservedStep, { kind: 'activity' }> => s.kind === 'activity')) ?? [];
  return {
    type,
    starts: listed.length,
    share: round(listed.length / Math.max(1, total), 4),
    perMinute: perMinute(
      listed.map((e) => e.startMs),
      minutes[0],
      minutes[1],
    ),
    durationMs: closed.length ? { p50: median(closed), p90: percentile(closed, 0.9), p99: percentile(closed, 0.99), max: Math.max(...closed) } : null,
    status,
    sampled: shapes.length,
    typicalShare: typical ? round(typical.length / shapes.length, 3) : 0,
    counts: typical ? stepCounts(typical[0]!) : null,
    payloadBytes: typical
      ? {
          workflowInput: median(typical.map((t) => t.inputBytes)),
          workflowResult: median(typical.map((t) => t.resultBytes)),
          activityInput: median(activities.map((a) => a.inputBytes)),
          activityResult: median(activities.map((a) => a.resultBytes)),
        }
      : null,
    program: built?.program ?? null,
    interactions: built?.interactions ?? [],
    approximations: [...notes],
  };
}

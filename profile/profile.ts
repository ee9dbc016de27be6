/**
 * `bench profile`: reads a namespace's recent executions (read-only), profiles each workflow type and
 * writes the scenario that reproduces it. Order: count, list (paged), sample histories per type,
 * model, scenario.
 */
import { UsageError } from '../core/errors.js';
import type { ScenarioDefinition } from '../scenarios/types.js';
import { perMinute, profileType, type TypeProfile } from './model.js';
import { countExecutions, listExecutions, readHistory, sinceQuery, type ListedExecution, type ReadContext } from './read.js';
import { shapeOf } from './shape.js';

export interface ProfileOptions {
  sinceMs: number;
  /** Histories read per workflow type. */
  sample: number;
  /** Executions listed at most (newest first); shares and rates come from these. */
  maxList: number;
  headroom: number;
  /** Length of the produced scenario's load. */
  durationS: number;
}

export interface Profile {
  namespace: string;
  since: string;
  until: string;
  /** Top-level executions started in the window (Count), and how many were listed. */
  counted: number;
  listed: number;
  /** Starts per minute over all types. */
  perMinute: TypeProfile['perMinute'];
  types: TypeProfile[];
}

/** Profiles every type; `progress` gets one short line per step for the TTY. */
export async function profileNamespace(ctx: ReadContext, o: ProfileOptions, progress: (line: string) => void): Promise<Profile> {
  const untilMs = Date.now();
  const query = sinceQuery(o.sinceMs);
  const counted = await countExecutions(ctx, query);
  const window = `since ${new Date(o.sinceMs).toISOString()}`;
  if (counted === 0) throw new UsageError(`namespace ${ctx.namespace} has no workflow started ${window}: nothing to profile (try a longer --since)`);
  const listed = await listExecutions(ctx, query, o.maxList, (n) => progress(`listed ${n} of ${Math.min(counted, o.maxList)} executions`));
  const byType = new Map<string, ListedExecution[]>();
  for (const e of listed) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
  const minutes: [number, number] = [Math.floor(Math.min(...listed.map((e) => e.startMs)) / 60_000), Math.floor(Math.max(...listed.map((e) => e.startMs)) / 60_000)];
  const types: TypeProfile[] = [];
  for (const [type, executions] of [...byType].sort((a, b) => b[1].length - a[1].length)) {
    // Closed executions only: a running one has not shown its whole shape. Spread over the window.
    const closed = executions.filter((e) => e.closeMs !== null && e.status !== 'Running');
    const step = Math.max(1, closed.length / o.sample);
    const picks = Array.from({ length: Math.min(o.sample, closed.length) }, (_, i) => closed[Math.floor(i * step)]!);
    const shapes = [];
    for (const [i, e] of picks.entries()) {
      shapes.push(shapeOf(await readHistory(ctx, e)));
      progress(`${type}: read ${i + 1} of ${picks.length} histories`);
    }
    types.push(profileType(type, executions, listed.length, minutes, shapes));
  }
  const all = perMinute(
    listed.map((e) => e.startMs),
    minutes[0],
    minutes[1],
  );
  return { namespace: ctx.namespace, since: new Date(o.sinceMs).toISOString(), until: new Date(untilMs).toISOString(), counted, listed: listed.length, perMinute: all, types };
}

/** A tag from a workflow type name (tags allow letters, digits, _ . -). */
const tagOf = (type: string) => type.replace(/[^\w.-]/g, '_').slice(0, 100) || 'type';

/**
 * The scenario reproducing the profile: one `program` entry per type (its typical shape, started
 * under the type's own name), weights by share, rate = the observed peak minute × headroom, and an
 * e2e threshold from the slowest type's observed p99 duration (×1.5).
 */
export function scenarioOf(p: Profile, o: Pick<ProfileOptions, 'headroom' | 'durationS'>): ScenarioDefinition {
  const reproducible = p.types.filter((t) => t.program);
  if (!reproducible.length) throw new UsageError(`namespace ${p.namespace}: no closed execution to read a shape from ${p.since}–${p.until}`);
  const slowest = Math.max(0, ...p.types.map((t) => t.durationMs?.p99 ?? 0));
  return {
    name: `profile-${tagOf(p.namespace)}`,
    description: `reproduces ${p.namespace} ${p.since}–${p.until}: ${reproducible.map((t) => `${t.type} ${Math.round(t.share * 100)}%`).join(', ')}`,
    executor: { executor: 'constant-arrival-rate', rate: Math.max(0.01, Math.round((p.perMinute.peak / 60) * o.headroom * 100) / 100), timeUnit: '1s', duration: `${o.durationS}s` },
    mix: reproducible.map((t) => ({
      kind: 'program',
      tag: tagOf(t.type),
      workflowType: t.type,
      weight: t.starts,
      input: { program: t.program },
      ...(t.interactions.length ? { interactions: t.interactions } : {}),
    })),
    thresholds: { workflow_e2e: [`p(99)<${Math.max(1000, Math.round(slowest * 1.5))}`] },
  };
}

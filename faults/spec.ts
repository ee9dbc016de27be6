import type { Static } from '@sinclair/typebox';
import { UsageError } from '../core/errors.js';
import type { FaultEntrySchema } from '../scenarios/schema.js';
import type { FaultAction } from '../recorder/result-schema.js';
import { parseDurationMs } from '../scenarios/duration.js';

/** What a fault acts on: a local stack process by service and replica, or a command (exec). */
export type FaultService = 'server' | 'frontend' | 'history' | 'matching' | 'worker' | 'prometheus';
const services: FaultService[] = ['server', 'frontend', 'history', 'matching', 'worker', 'prometheus'];
const actions: FaultAction[] = ['kill', 'stop', 'pause', 'resume', 'exec'];

/** One planned fault, as data (k6-style: the schedule says when, the action says what). */
export interface FaultSpec {
  /** The text it came from (shown in the report and result.json). */
  text: string;
  atS: number;
  action: FaultAction;
  /** Local targets only (every action but exec). */
  target?: { service: FaultService; replica: number };
  /** kill/stop: start the process again after this long; pause: resume it. */
  restartAfterS?: number;
  /** exec: the shell command. */
  cmd?: string;
}

/** A scenario file's `faults` entry: the flag's text, or the same fields as an object (scenarios/schema.ts). */
export type FaultEntry = Static<typeof FaultEntrySchema>;

/** The stack process id a target names: `server`, `prometheus`, or `<service>-<replica>` (split topology). */
export function targetId(target: NonNullable<FaultSpec['target']>): string {
  return target.service === 'server' || target.service === 'prometheus' ? target.service : `${target.service}-${target.replica}`;
}

const seconds = (value: string | number, what: string): number => (typeof value === 'number' ? value : parseDurationMs(value, what) / 1000);

/**
 * `at=15s,action=kill,target=history,replica=1,restart-after=20s`; `target=history-1` is the same.
 * `cmd=` takes the rest of the text (commands hold commas): `at=10s,action=exec,cmd=kubectl ...`.
 */
export function parseFault(text: string): FaultSpec {
  const bad = (why: string) => new UsageError(`--fault '${text}': ${why}`);
  const cmdAt = text.indexOf('cmd=');
  const head = cmdAt >= 0 ? text.slice(0, cmdAt) : text;
  const fields = new Map<string, string>();
  for (const part of head
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw bad(`'${part}' is not key=value`);
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  for (const key of fields.keys()) if (!['at', 'action', 'target', 'replica', 'restart-after'].includes(key)) throw bad(`unknown key '${key}' (at, action, target, replica, restart-after, cmd)`);
  const entry: Exclude<FaultEntry, string> = {
    at: fields.get('at') ?? '',
    action: fields.get('action') as FaultAction,
    target: fields.get('target'),
    replica: fields.has('replica') ? Number(fields.get('replica')) : undefined,
    restartAfter: fields.get('restart-after'),
    cmd: cmdAt >= 0 ? text.slice(cmdAt + 4).trim() : undefined,
  };
  return faultOf(entry, text, bad);
}

/** A scenario's `faults` entry to a spec, checked like the flag. */
export function faultFromEntry(entry: FaultEntry): FaultSpec {
  if (typeof entry === 'string') return parseFault(entry);
  const text = Object.entries(entry)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return faultOf(entry, text, (why) => new UsageError(`scenario fault {${text}}: ${why}`));
}

function faultOf(entry: Exclude<FaultEntry, string>, text: string, bad: (why: string) => UsageError): FaultSpec {
  if (entry.at === '' || entry.at === undefined) throw bad('at= is required (e.g. at=15s)');
  const atS = seconds(entry.at, 'fault at');
  if (!actions.includes(entry.action)) throw bad(`action must be one of ${actions.join(', ')}, got '${entry.action ?? ''}'`);
  const restartAfterS = entry.restartAfter === undefined ? undefined : seconds(entry.restartAfter, 'fault restart-after');
  if (restartAfterS !== undefined && (restartAfterS <= 0 || !['kill', 'stop', 'pause'].includes(entry.action))) throw bad('restart-after needs a positive duration and action kill, stop or pause');
  if (entry.action === 'exec') {
    if (!entry.cmd) throw bad('action=exec needs cmd=COMMAND (last, it takes the rest of the text)');
    if (entry.target) throw bad('action=exec takes no target: the command says what it acts on');
    return { text, atS, action: 'exec', cmd: entry.cmd };
  }
  if (entry.cmd) throw bad(`cmd= is only for action=exec`);
  if (!entry.target) throw bad(`action=${entry.action} needs target= (${services.join(', ')}; a replica as history-1 or replica=1)`);
  const m = /^([a-z]+)(?:-(\d+))?$/.exec(entry.target);
  const service = m?.[1] as FaultService | undefined;
  if (!m || !service || !services.includes(service)) throw bad(`unknown target '${entry.target}' (${services.join(', ')})`);
  const replica = m[2] !== undefined ? Number(m[2]) : (entry.replica ?? 0);
  if (!Number.isInteger(replica) || replica < 0) throw bad(`replica must be a whole number ≥ 0`);
  if ((service === 'server' || service === 'prometheus') && replica !== 0) throw bad(`${service} has no replicas`);
  return { text, atS, action: entry.action, target: { service, replica }, restartAfterS };
}

/**
 * Checks the faults against the run before any load is sent: each fires within the load, and each
 * local target exists in the stack the run uses (`processIds`: its process ids; undefined: no local
 * stack, so only exec can act on the cluster).
 */
export function checkFaults(faults: FaultSpec[], plannedDurationS: number, processIds: string[] | undefined, stackHint: string): void {
  for (const f of faults) {
    if (f.atS < 0 || f.atS >= plannedDurationS) throw new UsageError(`fault '${f.text}': at=${f.atS}s is outside the ${plannedDurationS}s load`);
    if (!f.target) continue;
    const id = targetId(f.target);
    if (!processIds) throw new UsageError(`fault '${f.text}': target ${id} needs a local stack (${stackHint}); for a remote cluster use action=exec,cmd=...`);
    if (!processIds.includes(id)) throw new UsageError(`fault '${f.text}': the stack has no ${id} (it runs ${processIds.join(', ')})`);
  }
}

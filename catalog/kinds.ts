/**
 * The catalog of workflow kinds: what `bench list --json` prints and what scenarios validate their
 * workload inputs against. Must stay importable outside the workflow sandbox (no @temporalio/workflow).
 */
import { deterministicBytes } from '../workflows/bytes.js';
import { checkActivityCall, checkBoolean, checkNumber, checkObject, checkRetry, checkStep, checkString, fail, maxPayloadBytes, show, type NumberRule } from './checks.js';
import { names, type Step } from '../workflows/types.js';

export type ParamType = 'integer' | 'number' | 'boolean' | 'string' | 'enum' | 'activityCall' | 'retry' | 'program';

export interface KindParam {
  name: string;
  type: ParamType;
  /** Absent: the parameter is optional and the workflow's own default applies. */
  default?: unknown;
  description: string;
  min?: number;
  max?: number;
  /** Allowed values of an enum. */
  values?: string[];
}

export interface WorkflowKind {
  name: string;
  workflowType: string;
  description: string;
  params: KindParam[];
}

const call: KindParam = { name: 'call', type: 'activityCall', default: { name: 'noop' }, description: 'the activity each step runs, e.g. {"name":"sleep","ms":100}' };
const retry: KindParam = { name: 'retry', type: 'retry', description: 'retry policy: initialIntervalMs, backoffCoefficient, maximumAttempts (0 = unlimited)' };
const count = (def: number, description: string): KindParam => ({ name: 'count', type: 'integer', default: def, min: 1, description });
const bytes = (name: string, description: string): KindParam => ({ name, type: 'integer', default: 1024, min: 0, max: maxPayloadBytes, description });

const sampleProgram: Step = {
  kind: 'sequence',
  steps: [{ kind: 'activity' }, { kind: 'parallel', steps: [{ kind: 'timer', ms: 100 }, { kind: 'localActivity' }] }, { kind: 'child', program: { kind: 'activity' } }],
};

export const workflowKinds: WorkflowKind[] = [
  { name: 'noop', workflowType: 'noopWorkflow', description: 'completes in its first workflow task', params: [] },
  { name: 'activity', workflowType: 'activityWorkflow', description: 'one activity (noop by default): the standard baseline', params: [call, retry] },
  {
    name: 'chain',
    workflowType: 'chainWorkflow',
    description: 'N activities one after another',
    params: [{ name: 'length', type: 'integer', default: 10, min: 1, description: 'number of sequential activities' }, call],
  },
  { name: 'fanout', workflowType: 'fanoutWorkflow', description: 'N activities in parallel, then joined', params: [count(10, 'number of parallel activities'), call] },
  {
    name: 'children',
    workflowType: 'childrenWorkflow',
    description: 'N child workflows started together and awaited',
    params: [count(5, 'number of child workflows'), { name: 'child', type: 'enum', default: 'noop', values: ['noop', 'activity'], description: 'what each child runs' }],
  },
  {
    name: 'timers',
    workflowType: 'timersWorkflow',
    description: 'N durable timers of D ms',
    params: [
      count(3, 'number of timers'),
      { name: 'durationMs', type: 'integer', default: 1000, min: 1, description: 'duration of each timer' },
      { name: 'parallel', type: 'boolean', default: false, description: 'start all timers at once instead of one after another' },
    ],
  },
  {
    name: 'signals',
    workflowType: 'signalsWorkflow',
    description: 'waits for K signals and returns them (works with signal-with-start)',
    params: [count(3, 'signals to wait for'), { name: 'signalName', type: 'string', default: names.signal, description: 'signal name' }],
  },
  {
    name: 'update',
    workflowType: 'updateWorkflow',
    description: `accepts values by update '${names.update}' and signal '${names.add}', answers query '${names.received}'; ends on signal '${names.finish}' or after K updates`,
    params: [{ name: 'maxUpdates', type: 'integer', default: 0, min: 0, description: 'finish after this many updates (0 = only on the finish signal)' }],
  },
  {
    name: 'payload',
    workflowType: 'payloadWorkflow',
    description: 'moves payloads of chosen sizes through workflow input, activity input/result and workflow result',
    params: [
      bytes('inputBytes', 'workflow input size (sent as a second, binary argument)'),
      bytes('resultBytes', 'workflow result size'),
      bytes('activityBytes', 'activity input and result size'),
      { name: 'activityCount', type: 'integer', default: 1, min: 0, description: 'number of echo activities' },
    ],
  },
  {
    name: 'continue-as-new',
    workflowType: 'continueAsNewWorkflow',
    description: 'continues as new every N iterations until a total (long logical histories)',
    params: [
      { name: 'iterationsPerRun', type: 'integer', default: 10, min: 1, description: 'iterations before each continue-as-new' },
      { name: 'totalIterations', type: 'integer', default: 50, min: 1, description: 'iterations across all runs' },
      { name: 'activity', type: 'boolean', default: true, description: 'run a noop activity in each iteration' },
    ],
  },
  {
    name: 'retry',
    workflowType: 'retryWorkflow',
    description: 'an activity that fails its first K attempts (and/or with a probability) and is retried',
    params: [
      { name: 'failures', type: 'integer', default: 2, min: 0, description: 'attempts that fail before one succeeds' },
      { name: 'probability', type: 'number', default: 0, min: 0, max: 0.99, description: 'chance each attempt fails, fixed per (seed, attempt)' },
      { name: 'seed', type: 'integer', default: 1, min: 0, description: 'seed of the per-attempt coin' },
      retry,
    ],
  },
  { name: 'local-activity', workflowType: 'localActivityWorkflow', description: 'N local activities in sequence', params: [count(3, 'number of local activities'), call] },
  {
    name: 'program',
    workflowType: 'programWorkflow',
    description: 'interprets a tree of steps: sequence, parallel, activity, localActivity, timer, child, awaitSignal, continueAsNew, payload',
    params: [{ name: 'program', type: 'program', default: sampleProgram, description: 'the step tree (see workflows/types.ts Step)' }],
  },
];

export function findKind(kind: string): WorkflowKind {
  const found = workflowKinds.find((k) => k.name === kind);
  if (!found) fail('workflow kind', `unknown kind ${show(kind)} (known: ${workflowKinds.map((k) => k.name).join(', ')})`);
  return found;
}

const rule = (p: KindParam): NumberRule => ({ min: p.min, max: p.max });

/** One check per parameter type. */
const paramChecks: Record<ParamType, (where: string, value: unknown, param: KindParam) => void> = {
  integer: (w, v, p) => checkNumber(w, v, rule(p)),
  number: (w, v, p) => checkNumber(w, v, { ...rule(p), integer: false }),
  boolean: checkBoolean,
  string: checkString,
  enum: (w, v, p) => {
    if (!p.values!.includes(v as string)) fail(w, `must be one of ${p.values!.join(', ')}, got ${show(v)}`);
  },
  activityCall: checkActivityCall,
  retry: checkRetry,
  program: checkStep,
};

/**
 * Checks a kind's input and returns it with defaults filled in. Throws UsageError with a one-line
 * cause for an unknown kind, an unknown parameter or a bad value.
 */
export function validateKindInput(kind: string, input: unknown = {}): Record<string, unknown> {
  const spec = findKind(kind);
  const given = checkObject(`kind '${kind}' input`, input);
  for (const key of Object.keys(given)) {
    if (!spec.params.some((p) => p.name === key)) {
      const known = spec.params.map((p) => p.name).join(', ') || 'none';
      fail(`kind '${kind}'`, `unknown parameter '${key}' (known: ${known})`);
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const param of spec.params) {
    const value = given[param.name] ?? param.default;
    if (value === undefined) continue;
    paramChecks[param.type](`kind '${kind}' ${param.name}`, value, param);
    resolved[param.name] = value;
  }
  if (kind === 'continue-as-new' && (resolved.totalIterations as number) < (resolved.iterationsPerRun as number)) {
    fail(`kind '${kind}'`, 'totalIterations must be >= iterationsPerRun (otherwise it never continues as new)');
  }
  return resolved;
}

/**
 * The arguments to start a kind's workflow with. Only `payload` differs: its input payload is a
 * second, binary argument of exactly inputBytes bytes.
 */
export function workflowArgs(kind: string, input: unknown = {}): unknown[] {
  const resolved = validateKindInput(kind, input);
  if (kind !== 'payload') return [resolved];
  const size = resolved.inputBytes as number;
  return [resolved, deterministicBytes(size, size)];
}

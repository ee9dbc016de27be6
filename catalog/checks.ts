/**
 * Input checks for kind parameters and program steps, run outside the sandbox (CLI, scenarios,
 * runner) so a bad input is a one-line UsageError before any workflow starts.
 */
import { UsageError } from '../core/errors.js';
import { activityNames, innerSteps, type Step, type StepKind } from '../workflows/types.js';

/** Temporal rejects payloads above 2 MB (blob size limit); stay under it. */
export const maxPayloadBytes = 2_000_000;

export function fail(where: string, message: string): never {
  throw new UsageError(`${where}: ${message}`);
}

export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

export function checkNumber(where: string, value: unknown, { integer = true, min = 0, max }: NumberRule = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value));
  if (!ok || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `>= ${min}` : `in [${min}, ${max}]`;
    fail(where, `must be ${integer ? 'an integer' : 'a number'} ${range}, got ${show(value)}`);
  }
  return value;
}

export function checkObject(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, `must be an object, got ${show(value)}`);
  return value as Record<string, unknown>;
}

export function checkString(where: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') fail(where, `must be a non-empty string, got ${show(value)}`);
  return value;
}

export function checkBoolean(where: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(where, `must be true or false, got ${show(value)}`);
  return value;
}

function checkOptional<T>(where: string, value: unknown, check: (where: string, value: unknown) => T): void {
  if (value !== undefined) check(where, value);
}

/** The numeric inputs each activity needs (all >= 0). */
const activityFields: Record<(typeof activityNames)[number], { required: string[]; optional?: Record<string, NumberRule> }> = {
  noop: { required: [] },
  sleep: { required: ['ms'] },
  echo: { required: ['bytes'], optional: { seed: {} } },
  cpuBurn: { required: ['ms'] },
  failUntilAttempt: { required: ['failures'], optional: { probability: { integer: false, max: 0.99 }, seed: {} } },
  heartbeat: { required: ['durationMs', 'intervalMs'], optional: { failFirstAttemptAtMs: {} } },
};

export function checkActivityCall(where: string, value: unknown): void {
  const call = checkObject(where, value);
  const name = call.name as keyof typeof activityFields;
  if (!activityNames.includes(name)) fail(`${where}.name`, `unknown activity ${show(call.name)} (known: ${activityNames.join(', ')})`);
  const fields = activityFields[name];
  for (const field of fields.required) checkNumber(`${where}.${field}`, call[field], field === 'bytes' ? { max: maxPayloadBytes } : {});
  for (const [field, rule] of Object.entries(fields.optional ?? {})) {
    checkOptional(`${where}.${field}`, call[field], (w, v) => checkNumber(w, v, rule));
  }
  if (name === 'heartbeat') checkNumber(`${where}.intervalMs`, call.intervalMs, { min: 1 });
}

export function checkRetry(where: string, value: unknown): void {
  const retry = checkObject(where, value);
  checkOptional(`${where}.initialIntervalMs`, retry.initialIntervalMs, (w, v) => checkNumber(w, v, { min: 1 }));
  checkOptional(`${where}.backoffCoefficient`, retry.backoffCoefficient, (w, v) => checkNumber(w, v, { integer: false, min: 1 }));
  checkOptional(`${where}.maximumAttempts`, retry.maximumAttempts, (w, v) => checkNumber(w, v));
}

type StepCheck = (step: Record<string, unknown>, where: string) => void;

function checkSteps(step: Record<string, unknown>, where: string): void {
  if (!Array.isArray(step.steps) || step.steps.length === 0) fail(`${where}.steps`, `must be a non-empty array, got ${show(step.steps)}`);
}

function checkActivityStep(step: Record<string, unknown>, where: string): void {
  checkOptional(`${where}.call`, step.call, checkActivityCall);
  checkOptional(`${where}.retry`, step.retry, checkRetry);
}

/** One check per step kind, mirroring the interpreter's handler map. */
const stepChecks: Record<StepKind, StepCheck> = {
  sequence: checkSteps,
  parallel: checkSteps,
  activity: checkActivityStep,
  localActivity: checkActivityStep,
  timer: (s, w) => checkNumber(`${w}.ms`, s.ms, { min: 1 }),
  child: (s, w) => checkStep(`${w}.program`, s.program),
  awaitSignal: (s, w) => {
    checkString(`${w}.name`, s.name);
    checkNumber(`${w}.count`, s.count, { min: 1 });
  },
  continueAsNew: (s, w) => checkNumber(`${w}.times`, s.times),
  payload: (s, w) => checkNumber(`${w}.bytes`, s.bytes, { max: maxPayloadBytes }),
};

/** Checks a program tree; `where` is a path such as `program.steps[2]` for the error line. */
export function checkStep(where: string, value: unknown): void {
  const step = checkObject(where, value);
  const kind = step.kind as StepKind;
  if (!Object.hasOwn(stepChecks, kind)) {
    fail(`${where}.kind`, `unknown step kind ${show(step.kind)} (known: ${Object.keys(stepChecks).join(', ')})`);
  }
  stepChecks[kind](step, where);
  innerSteps(step as unknown as Step).forEach((inner, i) => checkStep(`${where}.steps[${i}]`, inner));
}

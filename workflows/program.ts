import { condition, defineSignal, executeChild, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { deterministicBytes } from './bytes.js';
import { callActivity, callLocalActivity, continueAsNewKeepingMemo } from './calls.js';
import { innerSteps, type Step, type StepKind, type StepOf } from './types.js';

export interface ProgramInput {
  program: Step;
  /** Continue-as-new count so far; carried across runs, clients leave it unset. */
  continuations?: number;
}

export interface ProgramResult {
  /** How many steps of each kind this run executed (the last run, after any continue-as-new). */
  executed: Partial<Record<StepKind, number>>;
  continuations: number;
}

interface SignalCount {
  received: number;
  /** Signals already claimed by earlier awaitSignal steps. */
  claimed: number;
}

interface Run {
  input: ProgramInput;
  executed: ProgramResult['executed'];
  signals: Map<string, SignalCount>;
  children: number;
}

type Handler<K extends StepKind> = (step: StepOf<K>, run: Run) => Promise<unknown>;

/** One handler per step kind; adding a kind to `Step` without a handler is a type error. */
const handlers: { [K in StepKind]: Handler<K> } = {
  sequence: async (step, run) => {
    for (const s of step.steps) await execute(s, run);
  },
  parallel: (step, run) => Promise.all(step.steps.map((s) => execute(s, run))),
  activity: (step) => callActivity(step.call, step.retry),
  localActivity: (step) => callLocalActivity(step.call, step.retry),
  timer: (step) => sleep(step.ms),
  child: (step, run) => {
    const id = `${workflowInfo().workflowId}-r${run.input.continuations ?? 0}-c${run.children++}`;
    return executeChild(programWorkflow, { workflowId: id, args: [{ program: step.program }] });
  },
  awaitSignal: (step, run) => {
    const count = run.signals.get(step.name)!;
    const target = (count.claimed += step.count);
    return condition(() => count.received >= target);
  },
  continueAsNew: async (step, run) => {
    const continuations = run.input.continuations ?? 0;
    if (continuations < step.times) {
      await continueAsNewKeepingMemo<typeof programWorkflow>({ ...run.input, continuations: continuations + 1 });
    }
  },
  payload: (step) => callActivity({ name: 'echo', bytes: step.bytes }, undefined, deterministicBytes(step.bytes, step.bytes)),
};

function execute(step: Step, run: Run): Promise<unknown> {
  run.executed[step.kind] = (run.executed[step.kind] ?? 0) + 1;
  return (handlers[step.kind] as Handler<StepKind>)(step as never, run);
}

/** Registers a counting handler for every signal the program awaits, before anything can arrive. */
function listen(step: Step, signals: Map<string, SignalCount>): void {
  if (step.kind === 'awaitSignal' && !signals.has(step.name)) {
    const count = { received: 0, claimed: 0 };
    signals.set(step.name, count);
    setHandler(defineSignal(step.name), () => void count.received++);
  }
  for (const inner of innerSteps(step)) listen(inner, signals);
}

/** Interprets a tree of steps, so a scenario can describe a new workflow shape as data. */
export async function programWorkflow(input: ProgramInput): Promise<ProgramResult> {
  const run: Run = { input, executed: {}, signals: new Map(), children: 0 };
  listen(input.program, run.signals);
  await execute(input.program, run);
  return { executed: run.executed, continuations: input.continuations ?? 0 };
}

import { Type, type Static } from '@sinclair/typebox';

/**
 * The one schema of a scenario: the TypeScript types (scenarios/types.ts) are `Static` of it, the
 * validator (scenarios/validate.ts) walks it, and `bench schema` prints it as JSON Schema for editors.
 * Every object is closed (additionalProperties: false): an unknown or misplaced field is an error,
 * never silently ignored. Field names follow k6's scenario options.
 */

/** A k6/Go duration: 500ms, 20s, 1m30s, 2h. `positive` rejects zero. */
const Duration = (description: string, positive = true) => Type.String({ format: positive ? 'positive-duration' : 'duration', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h))+$', maxLength: 32, description, examples: ['30s'] });

const Rate = (description: string, minimum: 'positive' | 'zero' = 'positive') => Type.Number(minimum === 'positive' ? { exclusiveMinimum: 0, maximum: 1_000_000, description } : { minimum: 0, maximum: 1_000_000, description });
const Count = (description: string, maximum = 1_000_000) => Type.Integer({ minimum: 1, maximum, description });

const vusFields = {
  preAllocatedVUs: Type.Optional(Count('open model: same as maxVUs when maxVUs is not given (the runner has no VUs to pre-allocate)')),
  maxVUs: Type.Optional(Count('open model: the in-flight cap (concurrent start calls)')),
};

export const ConstantArrivalRateSchema = Type.Object(
  {
    executor: Type.Literal('constant-arrival-rate'),
    rate: Rate('starts per timeUnit'),
    timeUnit: Type.Optional(Duration('the unit of rate (default 1s)')),
    duration: Duration('how long the load runs'),
    ...vusFields,
  },
  { additionalProperties: false, description: 'open model: a fixed start rate' },
);

export const StageSchema = Type.Object({ target: Rate('rate to reach by the end of the stage', 'zero'), duration: Duration('length of the stage') }, { additionalProperties: false });

export const RampingArrivalRateSchema = Type.Object(
  {
    executor: Type.Literal('ramping-arrival-rate'),
    startRate: Type.Optional(Rate('rate at t=0 (default 0)', 'zero')),
    timeUnit: Type.Optional(Duration('the unit of rates (default 1s)')),
    stages: Type.Array(StageSchema, { minItems: 1, maxItems: 1000, description: 'linear ramps, one after the other' }),
    ...vusFields,
  },
  { additionalProperties: false, description: 'open model: a start rate that ramps through stages' },
);

export const ConstantVUsSchema = Type.Object(
  { executor: Type.Literal('constant-vus'), vus: Count('virtual users, each looping start → completion'), duration: Duration('how long the VUs loop') },
  { additionalProperties: false, description: 'closed model: a fixed number of VUs' },
);

const iterationFields = {
  vus: Type.Optional(Count('virtual users (default 1)')),
  iterations: Type.Optional(Count('iterations (default 1)', 1_000_000_000)),
  maxDuration: Type.Optional(Duration('stop after this long (default 10m)')),
};
export const SharedIterationsSchema = Type.Object({ executor: Type.Literal('shared-iterations'), ...iterationFields }, { additionalProperties: false, description: 'closed model: VUs share a total of iterations' });
export const PerVUIterationsSchema = Type.Object({ executor: Type.Literal('per-vu-iterations'), ...iterationFields }, { additionalProperties: false, description: 'closed model: each VU runs its own iterations' });

/** Discriminated by `executor` (the validator picks the branch by that field). */
const executorExample = { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1m' };
export const ExecutorSchema = Type.Union([ConstantArrivalRateSchema, RampingArrivalRateSchema, ConstantVUsSchema, SharedIterationsSchema, PerVUIterationsSchema], {
  'x-discriminator': 'executor',
  description: 'the load shape (a k6 executor)',
  examples: [executorExample],
});

/** Any object, bounded: workflow input and arguments go into result.json and the report. */
const Data = (description: string) => Type.Unknown({ format: 'bounded-json', description });

export const InteractionSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('signal'), Type.Literal('update'), Type.Literal('query')]),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'handler name on the workflow (bench list)' }),
    args: Type.Optional(Type.Array(Data('an argument'), { maxItems: 100 })),
    count: Type.Optional(Count('how many times (default 1)', 10_000)),
    delay: Type.Optional(Duration('wait after the start before the first one (default 0)', false)),
    interval: Type.Optional(Duration('gap between repetitions (default 0)', false)),
  },
  { additionalProperties: false },
);

const Tag = Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w.-]+$', description: 'tag value for per-entry sub-metrics and file names: letters, digits, _ . - (default: the kind)' });

export const WorkloadEntrySchema = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: 100, description: 'workflow kind (bench list)' }),
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'relative weight (default 1)' })),
    input: Type.Optional(Data("the kind's input (bench list shows its parameters)")),
    tag: Type.Optional(Tag),
    workflowType: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z_][\\w.-]*$', description: 'kind program only: start it under this workflow type name (a profiled type; bench workers run any unknown type as a program)' }),
    ),
    interactions: Type.Optional(Type.Array(InteractionSchema, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const ThresholdSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 200, description: "k6 threshold expression, e.g. 'p(99)<500' or 'rate<0.01'" }),
  Type.Object(
    { threshold: Type.String({ minLength: 1, maxLength: 200 }), abortOnFail: Type.Optional(Type.Boolean()), delayAbortEval: Type.Optional(Duration('evaluate abortOnFail only after this long', false)) },
    { additionalProperties: false },
  ),
]);

export const FaultObjectSchema = Type.Object(
  {
    at: Type.Union([Duration('when, from the start of the load', false), Type.Number({ minimum: 0, maximum: 1_000_000 })]),
    action: Type.Union([Type.Literal('kill'), Type.Literal('stop'), Type.Literal('pause'), Type.Literal('resume'), Type.Literal('exec')]),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    replica: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    restartAfter: Type.Optional(Type.Union([Duration('start (or resume) it again after this long'), Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })])),
    cmd: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export const FaultEntrySchema = Type.Union([Type.String({ minLength: 1, maxLength: 10_000, description: '--fault text: at=15s,action=kill,target=history' }), FaultObjectSchema]);

const scenarioFields = {
  $schema: Type.Optional(Type.String({ description: 'this schema (for editors); ignored by bench' })),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 2000 }),
  executor: ExecutorSchema,
  mix: Type.Array(WorkloadEntrySchema, { minItems: 1, maxItems: 100, description: 'the weighted workload mix' }),
  warmup: Type.Optional(Duration('leading window left out of the statistics', false)),
  cooldown: Type.Optional(Duration('trailing window left out of the statistics', false)),
  thresholds: Type.Optional(
    Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.Array(ThresholdSchema, { minItems: 1, maxItems: 20 }), { description: "k6 syntax: { workflow_e2e: ['p(99)<2000'] } (bench list shows the metrics)" }),
  ),
  workflowExecutionTimeout: Type.Optional(Duration('execution timeout of every started workflow (default 10m)')),
  faults: Type.Optional(Type.Array(FaultEntrySchema, { maxItems: 100 })),
};

export const ScenarioSchema = Type.Object(scenarioFields, { additionalProperties: false, $id: 'scenario' });

/** An executor in a file that extends a scenario: any executor's fields, merged over the base's. */
const car = ConstantArrivalRateSchema.properties;
const rar = RampingArrivalRateSchema.properties;
export const ExecutorPatchSchema = Type.Partial(
  Type.Object(
    {
      executor: Type.Union(ExecutorSchema.anyOf.map((b) => b.properties.executor)),
      rate: car.rate,
      startRate: rar.startRate,
      timeUnit: car.timeUnit,
      duration: car.duration,
      stages: rar.stages,
      vus: ConstantVUsSchema.properties.vus,
      iterations: iterationFields.iterations,
      maxDuration: iterationFields.maxDuration,
      ...vusFields,
    },
    { additionalProperties: false, description: "fields of the executor; with extends, merged over the base scenario's", examples: [executorExample] },
  ),
);

const { executor: _wholeExecutor, ...fileFields } = scenarioFields;
/** A `--config` file: a whole scenario, or `extends` plus the fields to change. */
export const ScenarioFileSchema = Type.Partial(
  Type.Object(
    {
      ...fileFields,
      executor: ExecutorPatchSchema,
      extends: Type.String({ minLength: 1, maxLength: 200, description: 'a ready scenario (bench list) this file changes' }),
    },
    {
      additionalProperties: false,
      title: 'temporal-bench scenario',
      description: 'A bench run --config file: a scenario (executor and mix), or "extends" a ready one and changes some fields.',
    },
  ),
);

export type ScenarioData = Static<typeof ScenarioSchema>;
export type ExecutorData = Static<typeof ExecutorSchema>;

/** The JSON Schema document `bench schema` prints and scenarios/scenario.schema.json holds. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(ScenarioFileSchema)) };
}

import type { Static } from '@sinclair/typebox';
import type { ConstantArrivalRateScenario, ConstantVUsScenario, PerVUIterationsScenario, RampingArrivalRateScenario, SharedIterationsScenario, Threshold as K6Threshold } from 'k6/options';
import type { ConstantArrivalRateSchema, ConstantVUsSchema, InteractionSchema, PerVUIterationsSchema, RampingArrivalRateSchema, ScenarioSchema, SharedIterationsSchema, StageSchema, ThresholdSchema, WorkloadEntrySchema } from './schema.js';

/**
 * Scenarios are data. Their types are the schema's (scenarios/schema.ts), so the types, the
 * validation and the JSON Schema editors see cannot drift apart; each executor is checked below to
 * be a k6 scenario of `k6/options` (less k6's per-script fields: exec, env, browser options,
 * startTime, gracefulStop, which do not apply to a Temporal load run), so anyone who wrote a k6
 * script reads them at once. `preAllocatedVUs` is optional: the runner has no VUs to pre-allocate in
 * the open model; `maxVUs` (or preAllocatedVUs) is the in-flight cap instead.
 */
export type ConstantArrivalRate = Static<typeof ConstantArrivalRateSchema>;
export type RampingArrivalRate = Static<typeof RampingArrivalRateSchema>;
export type ConstantVUs = Static<typeof ConstantVUsSchema>;
export type SharedIterations = Static<typeof SharedIterationsSchema>;
export type PerVUIterations = Static<typeof PerVUIterationsSchema>;
export type Stage = Static<typeof StageSchema>;
export type Threshold = Static<typeof ThresholdSchema>;

type NotApplicable = 'exec' | 'env' | 'options' | 'tags' | 'startTime' | 'gracefulStop';
type K6<T, Loose extends keyof T = never> = Omit<T, Loose | NotApplicable> & Partial<Pick<T, Loose>>;
/** Compile-time proof that each type is k6's (a build error here means the schema left k6's model). */
type Is<T extends U, U> = T;
export type K6Model = [
  Is<ConstantArrivalRate, K6<ConstantArrivalRateScenario, 'preAllocatedVUs'>>,
  Is<RampingArrivalRate, K6<RampingArrivalRateScenario, 'preAllocatedVUs'>>,
  Is<ConstantVUs, K6<ConstantVUsScenario>>,
  Is<SharedIterations, K6<SharedIterationsScenario>>,
  Is<PerVUIterations, K6<PerVUIterationsScenario>>,
  Is<Threshold, K6Threshold>,
];

export type ExecutorConfig = ConstantArrivalRate | RampingArrivalRate | ConstantVUs | SharedIterations | PerVUIterations;
export type ExecutorName = ExecutorConfig['executor'];

/** Open model: arrivals on a schedule regardless of responses. Closed: VUs loop start → completion. */
export function isOpenModel(executor: ExecutorConfig): executor is ConstantArrivalRate | RampingArrivalRate {
  return executor.executor === 'constant-arrival-rate' || executor.executor === 'ramping-arrival-rate';
}

/** A signal, update or query sent to each started workflow of a mix entry, after it started. */
export type Interaction = Static<typeof InteractionSchema>;

/** One entry of the weighted workload mix: a workflow kind (workflows/kinds.ts, `bench list`) with its input. */
export type WorkloadEntry = Static<typeof WorkloadEntrySchema>;

/** A whole scenario: executor, mix, phases, thresholds (k6 syntax), timeout and faults. */
export type ScenarioDefinition = Omit<Static<typeof ScenarioSchema>, '$schema'>;

/** Identity helper so a scenario file gets type checking without a cast. */
export function defineScenario(scenario: ScenarioDefinition): ScenarioDefinition {
  return scenario;
}

import type {
  ConstantArrivalRateScenario,
  ConstantVUsScenario,
  PerVUIterationsScenario,
  RampingArrivalRateScenario,
  SharedIterationsScenario,
  Stage,
  Threshold,
} from 'k6/options';
import type { FaultEntry } from '../faults/spec.js';

/**
 * Scenarios are data, typed after k6's `k6/options` so anyone who wrote a k6 script reads them at
 * once. k6's per-script fields (exec, env, browser options, startTime, gracefulStop) do not apply to
 * a Temporal load run and are left out; `preAllocatedVUs` is optional because the runner has no VUs
 * to pre-allocate in the open model: `maxVUs` (or preAllocatedVUs) is the in-flight cap instead.
 */
type NotApplicable = 'exec' | 'env' | 'options' | 'tags' | 'startTime' | 'gracefulStop';
type Loosen<T, K extends keyof T> = Omit<T, K | NotApplicable> & Partial<Pick<T, K>>;

export type ConstantArrivalRate = Loosen<ConstantArrivalRateScenario, 'preAllocatedVUs'>;
export type RampingArrivalRate = Loosen<RampingArrivalRateScenario, 'preAllocatedVUs'>;
export type ConstantVUs = Loosen<ConstantVUsScenario, never>;
export type SharedIterations = Loosen<SharedIterationsScenario, never>;
export type PerVUIterations = Loosen<PerVUIterationsScenario, never>;
export type { Stage, Threshold };

export type ExecutorConfig = ConstantArrivalRate | RampingArrivalRate | ConstantVUs | SharedIterations | PerVUIterations;
export type ExecutorName = ExecutorConfig['executor'];
export const executorNames: ExecutorName[] = ['constant-arrival-rate', 'ramping-arrival-rate', 'constant-vus', 'shared-iterations', 'per-vu-iterations'];

/** Open model: arrivals on a schedule regardless of responses. Closed: VUs loop start → completion. */
export function isOpenModel(executor: ExecutorConfig): executor is ConstantArrivalRate | RampingArrivalRate {
  return executor.executor === 'constant-arrival-rate' || executor.executor === 'ramping-arrival-rate';
}

/** A signal, update or query sent to each started workflow of a mix entry, after it started. */
export interface Interaction {
  type: 'signal' | 'update' | 'query';
  /** Handler name on the workflow (see workflows/types.ts `names`). */
  name: string;
  args?: unknown[];
  /** How many times (default 1). */
  count?: number;
  /** Wait after the start was acknowledged before the first one (default 0). */
  delay?: string;
  /** Gap between repetitions (default 0: back to back, each after the previous returned). */
  interval?: string;
}

/** One entry of the weighted workload mix: a workflow kind with its input. */
export interface WorkloadEntry {
  /** Workflow kind from workflows/kinds.ts (`bench list`). */
  kind: string;
  /** Relative weight (default 1). */
  weight?: number;
  input?: unknown;
  /** Tag value for per-entry sub-metrics (default: the kind), e.g. `start_latency{kind:chain}`. */
  tag?: string;
  interactions?: Interaction[];
}

export interface ScenarioDefinition {
  name: string;
  description: string;
  executor: ExecutorConfig;
  mix: WorkloadEntry[];
  /** Leading window excluded from statistics (counts still recorded), e.g. "30s". */
  warmup?: string;
  /** Trailing window of the load excluded from statistics. */
  cooldown?: string;
  /** k6 syntax: `{ workflow_e2e: ['p(99)<2000'], 'start_latency{kind:chain}': [...], errors: ['rate<0.01'] }`. */
  thresholds?: Record<string, Threshold[]>;
  /** Workflow execution timeout for every started workflow (default 10m): a stuck run cannot linger forever. */
  workflowExecutionTimeout?: string;
  /** Faults injected during the load, as data: `--fault` text or objects (faults/spec.ts). */
  faults?: FaultEntry[];
}

/** Identity helper so a scenario file gets type checking without a cast. */
export function defineScenario(scenario: ScenarioDefinition): ScenarioDefinition {
  return scenario;
}

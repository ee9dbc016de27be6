import type { ServerMetricsSnapshot } from '../../metrics/prometheus-snapshot.js';
import type { ResultFile } from '../../recorder/result-schema.js';

/** What a rule looks at: the run's own result and, when available, the server/worker metrics. */
export interface RuleInput {
  result: ResultFile;
  server?: ServerMetricsSnapshot;
}

export type Confidence = 'high' | 'medium' | 'low';

/** One observation behind a recommendation: which metric, what it was, and the limit it crossed. */
export interface Evidence {
  metric: string;
  /** Series labels or scope the value belongs to, e.g. `service_name=frontend`. */
  where?: string;
  observed: number;
  /** The threshold or configured limit compared against (null when any non-zero value counts). */
  limit: number | null;
  unit: string;
  /** How `observed` was summarised, e.g. "peak", "sustained (p75 over the window)", "total". */
  stat: string;
}

export interface Recommendation {
  rule: string;
  title: string;
  /** The knob(s) to turn, as named in dynamic config or deployment. */
  knob: string;
  action: string;
  confidence: Confidence;
  /** Ranking for "the limiting factor": how far past its limit the strongest evidence is, by confidence. */
  score: number;
  evidence: Evidence[];
}

export interface Rule {
  id: string;
  /** What the rule looks for, shown in docs and tests. */
  symptom: string;
  evaluate(input: RuleInput): Recommendation | null;
}

import { cpuLimit } from './cpu-limit';
import { frontendRps } from './frontend-rps';
import { invalidRun } from './invalid-run';
import { memoryLimit } from './memory-limit';
import { mutableStateCache } from './mutable-state-cache';
import { persistenceLatency } from './persistence-latency';
import { persistenceQps } from './persistence-qps';
import { pollConcurrency } from './poll-concurrency';
import { pollersPartitions } from './pollers-partitions';
import { shardContention } from './shard-contention';
import { syncMatch } from './sync-match';
import { taskQueueRateLimit } from './task-queue-rate-limit';
import type { Recommendation, Rule, RuleInput } from './types';
import { workerSlots } from './worker-slots';

export type { Confidence, Evidence, Recommendation, Rule, RuleInput } from './types';

/** Every rule; a new rule is one file plus one line here. */
export const rules: Rule[] = [
  invalidRun,
  frontendRps,
  pollConcurrency,
  persistenceQps,
  persistenceLatency,
  shardContention,
  workerSlots,
  taskQueueRateLimit,
  pollersPartitions,
  syncMatch,
  mutableStateCache,
  cpuLimit,
  memoryLimit,
];

/** Runs every rule; recommendations come back strongest first. A rule without evidence returns nothing. */
export function evaluateRules(input: RuleInput, ruleSet: Rule[] = rules): Recommendation[] {
  return ruleSet
    .map((rule) => rule.evaluate(input))
    .filter((rec): rec is Recommendation => rec !== null && rec.evidence.length > 0)
    .sort((a, b) => b.score - a.score);
}

/** The likeliest bottleneck (for `bench capacity`): the top recommendation, or undefined when nothing fired. */
export function limitingFactor(input: RuleInput): Recommendation | undefined {
  return evaluateRules(input)[0];
}

import { configuredWorkerSlots } from './configured-worker-slots.js';
import { cpuLimit } from './cpu-limit.js';
import { frontendRps } from './frontend-rps.js';
import { hostCpu } from './host-cpu.js';
import { invalidRun } from './invalid-run.js';
import { serviceCpuThrottled } from './k8s-service-cpu.js';
import { serviceMemoryLimit } from './k8s-service-memory.js';
import { memoryLimit } from './memory-limit.js';
import { mutableStateCache } from './mutable-state-cache.js';
import { outage } from './outage.js';
import { persistenceLatency } from './persistence-latency.js';
import { persistenceQps } from './persistence-qps.js';
import { pollConcurrency } from './poll-concurrency.js';
import { pollersPartitions } from './pollers-partitions.js';
import { postgresCpu } from './postgres-cpu.js';
import { serviceCpu } from './service-cpu.js';
import { shardContention } from './shard-contention.js';
import { syncMatch } from './sync-match.js';
import { taskQueueRateLimit } from './task-queue-rate-limit.js';
import type { Recommendation, Rule, RuleInput } from './types.js';
import { workerCpu } from './worker-cpu.js';
import { workerSlots } from './worker-slots.js';

export type { Confidence, Evidence, Recommendation, Rule, RuleInput } from './types.js';

/** Every rule; a new rule is one file plus one line here. */
export const rules: Rule[] = [
  invalidRun,
  outage,
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
  // Resources (runner/resources.ts samples; cAdvisor by service): causes, ranked above their symptoms.
  hostCpu,
  workerCpu,
  serviceCpu,
  postgresCpu,
  serviceCpuThrottled,
  serviceMemoryLimit,
  configuredWorkerSlots,
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

import { evidence, found, rank, recommend } from './evidence.js';
import type { Evidence, Rule } from './types.js';

export const shardLockLimitMs = 10;
export const historyP99LimitMs = 100;

/** Waiting on the shard lock / IO semaphore while history RPCs are slow: shard contention. */
export const shardContention: Rule = {
  id: 'shard-contention',
  symptom: `lock_latency or semaphore_latency p99 sustained above ${shardLockLimitMs} ms (history service_latency p99 above ${historyP99LimitMs} ms raises confidence)`,
  evaluate(input) {
    const waits = [...rank(found(input, 'shard_lock_p99'), 'sustained').map((h) => ({ h, metric: 'lock_latency p99' })), ...rank(found(input, 'shard_semaphore_p99'), 'sustained').map((h) => ({ h, metric: 'semaphore_latency p99' }))]
      .filter(({ h }) => h.value > shardLockLimitMs)
      .sort((a, b) => b.h.value - a.h.value);
    if (waits.length === 0) return null;
    const ev: Evidence[] = waits.map(({ h, metric }) => evidence(metric, h, 'sustained', shardLockLimitMs, 'ms'));
    const history = rank(found(input, 'rpc_p99'), 'sustained', (l) => l.service_name === 'history').find((h) => h.value > historyP99LimitMs);
    if (history) ev.push(evidence('service_latency p99 (history)', history, 'sustained', historyP99LimitMs, 'ms'));
    return recommend({
      rule: this.id,
      title: 'History shards are contended',
      knob: 'history.shardIOConcurrency; shard count (512 is fixed: more shards need a new cluster)',
      action: 'Raise history.shardIOConcurrency, add history replicas to spread shards, and spread load over more workflow IDs; a hot single workflow cannot be fixed by knobs.',
      confidence: history ? 'high' : 'medium',
      evidence: ev,
    });
  },
};

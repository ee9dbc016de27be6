import { evidence, found, rank, recommend } from './evidence.js';
import type { Rule } from './types.js';

/** Sustained p99 above this (ms) on a PostgreSQL-backed cluster points at the database itself. */
export const persistenceP99LimitMs = 50;

/** Slow persistence: database size, IOPS or connection pool, not a Temporal knob. */
export const persistenceLatency: Rule = {
  id: 'persistence-latency',
  symptom: `persistence_latency p99 sustained above ${persistenceP99LimitMs} ms`,
  evaluate(input) {
    const slow = rank(found(input, 'persistence_p99'), 'sustained').filter((h) => h.value > persistenceP99LimitMs);
    if (slow.length === 0) return null;
    return recommend({
      rule: this.id,
      title: 'Persistence is slow',
      knob: 'database size / IOPS, sql maxConns / maxIdleConns',
      action: 'Check database CPU, IOPS and connection saturation; give the database more resources or raise the connection pool (maxConns) if it is exhausted.',
      confidence: slow[0]!.value > 4 * persistenceP99LimitMs ? 'high' : 'medium',
      evidence: slow.slice(0, 3).map((h) => evidence('persistence_latency p99', h, 'sustained', persistenceP99LimitMs, 'ms')),
    });
  },
};

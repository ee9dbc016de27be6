import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultStackOptions, type StackOptions } from '../../stack/options.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Ports and databases of a test stack. BENCH_TEST_PORT_OFFSET lets several checkouts (or helpers)
 * run their suites on one machine without sharing a stack.
 */
export function testStackOptions(name: string, slot: number, overrides: Partial<StackOptions> = {}): StackOptions {
  const offset = Number(process.env.BENCH_TEST_PORT_OFFSET ?? 0) + slot * 40;
  const suffix = `${process.env.BENCH_TEST_PORT_OFFSET ?? '0'}_${name.replace(/\W/g, '_')}`;
  const base = defaultStackOptions();
  return defaultStackOptions({
    dir: path.join(repoRoot, '.stack', `test-${suffix}`),
    frontendPort: 17233 + offset,
    internalPortBase: 17234 + offset,
    metricsPort: 18000 + offset,
    prometheusPort: 19090 + offset,
    scrapeIntervalSeconds: 1,
    // Small pools: several test stacks share one PostgreSQL (max_connections 100 by default).
    postgres: { ...base.postgres, database: `tb_${suffix}`, visibilityDatabase: `tb_${suffix}_visibility`, maxConns: 4 },
    ...overrides,
  });
}

/** The CLI flags that put a stack on the ports and databases of testStackOptions(name, slot). */
export function stackFlags(name: string, slot: number): { dir: string; flags: string[] } {
  const o = testStackOptions(name, slot);
  return {
    dir: o.dir,
    flags: [
      '--dir',
      o.dir,
      '--port',
      String(o.frontendPort),
      '--internal-port-base',
      String(o.internalPortBase),
      '--metrics-port',
      String(o.metricsPort),
      '--prometheus-port',
      String(o.prometheusPort),
      '--scrape-interval',
      '1',
      '--postgres-url',
      `postgres://postgres@127.0.0.1:5432/${o.postgres.database}`,
      '--pg-max-conns',
      String(o.postgres.maxConns),
    ],
  };
}

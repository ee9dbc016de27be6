import os from 'node:os';
import type { DynamicConfigEntry } from './dynamic-config.js';
import path from 'node:path';
import type { StackTlsOptions } from './tls.js';

export type Persistence = 'postgres' | 'sqlite';
export type Topology = 'single' | 'split';

export interface PostgresOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  visibilityDatabase: string;
  /** Connections per datastore pool (the server's default config uses 20). */
  maxConns?: number;
}

/** Everything `bench stack up` needs; the CLI fills it from flags, tests build it directly. */
export interface StackOptions {
  /** Where config, logs, data and state.json live. One directory = one stack. */
  dir: string;
  serverVersion: string;
  persistence: Persistence;
  postgres: PostgresOptions;
  historyShards: number;
  topology: Topology;
  /** Processes per history and matching service in the split topology. */
  replicas: number;
  frontendPort: number;
  /** First port of the block used for internal gRPC and membership ports. */
  internalPortBase: number;
  /** First Temporal metrics port; split topology uses one per process from here. */
  metricsPort: number;
  prometheusPort: number;
  /** Prometheus scrape interval, 1-60 s; the report's rate windows follow it (4 × interval). */
  scrapeIntervalSeconds: number;
  prometheus: boolean;
  dynamicConfig: DynamicConfigEntry[];
  namespaces: NamespaceSpec[];
  /** TLS on the frontend (server or mutual), generated certificates under <dir>/tls; undefined: plaintext. */
  tls?: StackTlsOptions;
}

export interface NamespaceSpec {
  name: string;
  retentionHours: number;
}

/** The production cluster's namespaces (see the seed) plus `bench` for load runs. */
export const seedNamespaces: NamespaceSpec[] = [
  { name: 'default', retentionHours: 72 },
  { name: 'pnats', retentionHours: 2160 },
  { name: 'pnats-staging', retentionHours: 1440 },
  { name: 'pnats-dev', retentionHours: 720 },
  { name: 'bench', retentionHours: 24 },
];

export const defaultServerVersion = '1.24.2';

/** Caches shared by every stack: built binaries are reused across stacks and checkouts. */
export function cacheDir(): string {
  return process.env.BENCH_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'temporal-bench');
}

export function defaultStackDir(): string {
  return process.env.BENCH_STACK_DIR ?? path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'temporal-bench', 'stack');
}

export function defaultStackOptions(overrides: Partial<StackOptions> = {}): StackOptions {
  return {
    dir: defaultStackDir(),
    serverVersion: defaultServerVersion,
    persistence: 'postgres',
    postgres: {
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: '',
      database: 'temporal',
      visibilityDatabase: 'temporal_visibility',
    },
    historyShards: 512,
    topology: 'single',
    replicas: 1,
    frontendPort: 7233,
    internalPortBase: 7234,
    metricsPort: 8000,
    prometheusPort: 9090,
    scrapeIntervalSeconds: 2,
    prometheus: true,
    dynamicConfig: [],
    namespaces: seedNamespaces,
    ...overrides,
  };
}

/** Parses `postgres://user:pass@host:port/db` into the connection options (db names the main database). */
export function parsePostgresUrl(url: string, base: PostgresOptions): PostgresOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid PostgreSQL URL ${JSON.stringify(url)}: expected postgres://user:password@host:port/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`invalid PostgreSQL URL ${JSON.stringify(url)}: the scheme must be postgres://`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || base.database;
  return {
    host: parsed.hostname || base.host,
    port: parsed.port ? Number(parsed.port) : base.port,
    user: decodeURIComponent(parsed.username) || base.user,
    password: decodeURIComponent(parsed.password),
    database,
    visibilityDatabase: database === base.database ? base.visibilityDatabase : `${database}_visibility`,
  };
}

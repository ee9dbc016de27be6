import fs from 'node:fs';
import path from 'node:path';
import { BenchError, UsageError } from '../core/errors.js';
import { ensureServerBinaries } from './build.js';
import { renderDynamicConfig, withStackDefaults } from './dynamic-config.js';
import { canConnect, portIsFree } from './net.js';
import type { StackOptions } from './options.js';
import { dropDatabases, requirePostgres, setupDatabases } from './postgres.js';
import { isOurProcess, spawnDetached, stopProcess } from './processes.js';
import { prometheusBinary, prometheusReady, renderPrometheusConfig, rulesDir, targetsDir } from './prometheus.js';
import { ensureNamespaces, poll, waitForServer } from './readiness.js';
import { renderServerConfig } from './server-config.js';
import { readState, removeState, writeState, type StackProcess, type StackState } from './state.js';
import { checkPortsFitPersistence, layoutServerProcesses, portsToBind } from './topology.js';
import { toYaml } from './yaml.js';
import { ensureStackCertificates, stackServerName } from './tls.js';
import { stackClientTls } from './tls-client.js';

type Log = (line: string) => void;

const readyTimeoutMs = 180_000;

export interface StackHealth {
  state: StackState;
  dead: StackProcess[];
}

export function stackHealth(dir: string): StackHealth | undefined {
  const state = readState(dir);
  if (!state) return undefined;
  return { state, dead: state.processes.filter((p) => !isOurProcess(p.pid, p.executable)) };
}

/** The stack at `dir` when it is ready and every process of it runs; undefined otherwise. */
export function runningStack(dir: string): StackState | undefined {
  const health = stackHealth(dir);
  return health && health.dead.length === 0 && health.state.ready ? health.state : undefined;
}

function tail(file: string, lines = 3): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ').slice(0, 400);
  } catch {
    return '';
  }
}

export function describeDead(dead: StackProcess[]): string {
  return dead.map((p) => `${p.id} (pid ${p.pid}) is not running; see ${p.logFile}`).join('; ');
}

const tlsShape = (tls: StackOptions['tls']) => (tls ? `${tls.mode}${tls.internode ? '+internode' : ''}` : 'off');

function sameShape(state: StackState, options: StackOptions): string | undefined {
  const want = {
    persistence: options.persistence,
    historyShards: options.historyShards,
    topology: options.topology,
    replicas: options.topology === 'split' ? options.replicas : 1,
    serverVersion: options.serverVersion,
    frontendAddress: `127.0.0.1:${options.frontendPort}`,
    tls: tlsShape(options.tls),
  };
  const have: Record<string, unknown> = { ...state, tls: tlsShape(state.tls) };
  for (const [key, value] of Object.entries(want)) {
    if (have[key] !== value) return `${key} is ${JSON.stringify(have[key])}, not ${JSON.stringify(value)}`;
  }
  return undefined;
}

function validate(options: StackOptions): void {
  if (!Number.isInteger(options.historyShards) || options.historyShards < 1) throw new UsageError(`--shards must be a positive integer, got ${options.historyShards}`);
  if (!Number.isInteger(options.replicas) || options.replicas < 1) throw new UsageError(`--replicas must be a positive integer, got ${options.replicas}`);
  if (options.topology === 'split' && options.persistence === 'sqlite') {
    throw new UsageError('--topology split needs --persistence postgres: in-memory SQLite cannot be shared between processes');
  }
  if (options.replicas > 1 && options.topology !== 'split') throw new UsageError('--replicas needs --topology split');
}

/**
 * Starts the local stack, or reports the one already running at the same directory. Idempotent: a
 * second `up` with the same shape changes nothing; a stack that died is reported and replaced.
 */
export async function stackUp(options: StackOptions, log: Log): Promise<StackState> {
  validate(options);
  const existing = stackHealth(options.dir);
  if (existing) {
    if (existing.dead.length === 0 && existing.state.ready) {
      const mismatch = sameShape(existing.state, options);
      if (mismatch) throw new UsageError(`a different stack already runs from ${options.dir} (${mismatch}); run bench stack down first`);
      log(`stack already running at ${existing.state.frontendAddress} (from ${options.dir})`);
      return existing.state;
    }
    log(`previous stack at ${options.dir} died: ${describeDead(existing.dead) || 'it never became ready'}; restarting it`);
    await stopAll(existing.state);
    removeState(options.dir);
  }

  const processes = layoutServerProcesses(options);
  checkPortsFitPersistence(options, processes);
  for (const { port, owner } of portsToBind(options, processes)) {
    if (!(await portIsFree(port))) throw new UsageError(`port ${port} (${owner}) is already in use; choose other ports (--port, --internal-port-base, --metrics-port, --prometheus-port)`);
  }
  if (options.persistence === 'postgres') await requirePostgres(options.postgres);
  const prometheus = options.prometheus ? prometheusBinary() : undefined;
  const bins = await ensureServerBinaries(options.serverVersion, log);
  if (options.persistence === 'postgres') await setupDatabases(bins.sqlTool, options.postgres, log);

  const configDir = path.join(options.dir, 'config');
  const logDir = path.join(options.dir, 'logs');
  fs.mkdirSync(configDir, { recursive: true });
  fs.mkdirSync(logDir, { recursive: true });
  const dynamicConfigFile = path.join(options.dir, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfigFile, toYaml(renderDynamicConfig(withStackDefaults(options.dynamicConfig)), 'Written by bench stack up: its defaults plus --dynamic-config flags.'));

  const certs = options.tls ? ensureStackCertificates(options.dir) : undefined;
  const pg = options.postgres;
  const state: StackState = {
    schemaVersion: 1,
    dir: options.dir,
    startedAt: new Date().toISOString(),
    serverVersion: options.serverVersion,
    persistence: options.persistence,
    postgres: options.persistence === 'postgres' ? { host: pg.host, port: pg.port, user: pg.user, database: pg.database, visibilityDatabase: pg.visibilityDatabase } : undefined,
    historyShards: options.historyShards,
    topology: options.topology,
    replicas: options.topology === 'split' ? options.replicas : 1,
    frontendAddress: `127.0.0.1:${options.frontendPort}`,
    metricsUrls: processes.map((p) => `http://127.0.0.1:${p.metricsPort}/metrics`),
    prometheusUrl: prometheus ? `http://127.0.0.1:${options.prometheusPort}` : undefined,
    targetsDir: prometheus ? targetsDir(options.dir) : undefined,
    namespaces: options.namespaces.map((n) => n.name),
    tls: options.tls && certs ? { ...options.tls, caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile, serverName: stackServerName } : undefined,
    processes: [],
    ready: false,
  };

  const deadCheck = () => {
    const dead = state.processes.filter((p) => !isOurProcess(p.pid, p.executable));
    return dead.length ? `the stack died while starting: ${dead.map((p) => `${p.id}: ${tail(p.logFile)}`).join('; ')}` : undefined;
  };
  try {
    for (const proc of processes) {
      fs.writeFileSync(path.join(configDir, `${proc.id}.yaml`), toYaml(renderServerConfig(options, proc, dynamicConfigFile), 'Generated by bench stack up; edit the flags, not this file.'));
      const logFile = path.join(logDir, `${proc.id}.log`);
      const args = ['--root', options.dir, '--config', 'config', '--env', proc.id, '--allow-no-auth', 'start', ...proc.services.flatMap((s) => ['--service', s])];
      const pid = spawnDetached(bins.server, args, logFile, options.dir);
      state.processes.push({ id: proc.id, kind: 'temporal', pid, executable: bins.server, logFile, services: proc.services, args, cwd: options.dir });
      writeState(state);
      log(`started temporal-server ${proc.id} (pid ${pid}; ${proc.services.join(', ')})`);
      // The first process initialises cluster metadata in a fresh database; processes started
      // alongside it race on that insert and exit. Start the rest once it serves gRPC.
      if (proc === processes[0] && processes.length > 1) await waitForPort(proc.ports[proc.services[0]!].grpc, deadCheck);
    }
    if (prometheus)
      startPrometheus(
        prometheus,
        options,
        processes.map((p) => `127.0.0.1:${p.metricsPort}`),
        state,
      );

    const tls = state.tls ? stackClientTls(state.tls) : undefined;
    const info = await waitForServer(state.frontendAddress, options.historyShards, readyTimeoutMs, deadCheck, tls);
    if (info.serverVersion && info.serverVersion !== options.serverVersion) log(`note: the server reports version ${info.serverVersion}`);
    await ensureNamespaces(state.frontendAddress, options.namespaces, readyTimeoutMs, tls);
    if (state.prometheusUrl) await waitForPrometheus(state.prometheusUrl, deadCheck);
    state.ready = true;
    writeState(state);
    log(
      `stack ready: frontend ${state.frontendAddress}${state.tls ? ` (${state.tls.mode === 'mtls' ? 'mutual TLS' : 'TLS'}, CA ${state.tls.caFile})` : ''}, ${info.historyShardCount} shards, ${options.persistence}${state.prometheusUrl ? `, Prometheus ${state.prometheusUrl}` : ''}`,
    );
    return state;
  } catch (err) {
    await stopAll(state);
    removeState(options.dir);
    throw err;
  }
}

function startPrometheus(binary: string, options: StackOptions, serverTargets: string[], state: StackState): void {
  const promDir = path.join(options.dir, 'prometheus');
  fs.mkdirSync(targetsDir(options.dir), { recursive: true });
  fs.mkdirSync(rulesDir(options.dir), { recursive: true });
  const configFile = path.join(promDir, 'prometheus.yml');
  const config = renderPrometheusConfig(serverTargets, path.join(targetsDir(options.dir), '*.json'), options.scrapeIntervalSeconds, path.join(rulesDir(options.dir), '*.yml'));
  fs.writeFileSync(configFile, toYaml(config, 'Generated by bench stack up.'));
  const logFile = path.join(options.dir, 'logs', 'prometheus.log');
  const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${options.prometheusPort}`, '--web.enable-lifecycle', '--storage.tsdb.retention.time=7d'];
  const pid = spawnDetached(binary, args, logFile, promDir);
  state.processes.push({ id: 'prometheus', kind: 'prometheus', pid, executable: binary, logFile, args, cwd: promDir });
  writeState(state);
}

async function waitForPort(port: number, deadCheck: () => string | undefined): Promise<void> {
  await poll(`port ${port} to accept connections`, readyTimeoutMs, async () => {
    const dead = deadCheck();
    if (dead) throw Object.assign(new Error(dead), { fatal: true });
    return (await canConnect('127.0.0.1', port, 500)) || undefined;
  });
}

async function waitForPrometheus(url: string, deadCheck: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await prometheusReady(url))) {
    const dead = deadCheck();
    if (dead) throw new Error(dead);
    if (Date.now() > deadline) throw new Error(`Prometheus at ${url} did not become ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopAll(state: StackState): Promise<void> {
  // Frontend last would be nicer for clients, but the server shuts its services down in order itself.
  await Promise.all(state.processes.filter((p) => isOurProcess(p.pid, p.executable)).map((p) => stopProcess(p.pid)));
}

/** Stops every process the stack started (by pid) and, with wipe, drops its databases. */
export async function stackDown(dir: string, wipe: boolean, log: Log, sqlToolOverride?: string): Promise<StackState | undefined> {
  const state = readState(dir);
  if (!state) {
    log(`no stack at ${dir}`);
    return undefined;
  }
  await stopAll(state);
  for (const p of state.processes) log(`stopped ${p.id} (pid ${p.pid})`);
  removeState(dir);
  if (wipe && state.postgres) {
    const bins = await ensureServerBinaries(state.serverVersion, log);
    await dropDatabases(sqlToolOverride ?? bins.sqlTool, { ...state.postgres, password: process.env.BENCH_POSTGRES_PASSWORD ?? '' }, log);
  }
  if (wipe) fs.rmSync(path.join(dir, 'prometheus', 'data'), { recursive: true, force: true });
  return state;
}

export function requireRunningStack(dir: string): StackState {
  const health = stackHealth(dir);
  if (!health) throw new UsageError(`no local stack at ${dir}: run bench stack up first (or pass --address)`);
  if (health.dead.length > 0) throw new BenchError(`the local stack at ${dir} died: ${describeDead(health.dead)}`);
  return health.state;
}

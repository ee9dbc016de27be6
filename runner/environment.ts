import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import type { ConnectionConfig } from '../core/connection.js';
import { UsageError } from '../core/errors.js';
import { defaultStackDir, defaultStackOptions } from '../stack/options.js';
import { prometheusInstalled } from '../stack/prometheus.js';
import { getClusterInfo, type ClusterInfo } from '../stack/readiness.js';
import { runningStack, stackDown, stackUp } from '../stack/stack.js';
import type { StackState } from '../stack/state.js';
import type { EmbeddedStackPlan } from './plan.js';
import { diagnoseTls } from '../core/tls-diagnosis.js';

type Log = (line: string) => void;

/** The local stack a run without --address uses, and whether the run owns (and stops) it. */
export interface EmbeddedStack {
  state: StackState;
  owned: boolean;
  stop(): Promise<void>;
}

/**
 * A stack for a run without --address: the one already running (at --stack-dir, else the default
 * `bench stack up` one) is used and left running; otherwise an in-memory SQLite stack is started in
 * its own directory on ports from --stack-port (frontend P, internal P+1.., metrics P+10,
 * Prometheus P+11) and stopped (its directory removed) when the run ends.
 */
export async function embeddedStack(plan: EmbeddedStackPlan, explicitDir: boolean, log: Log): Promise<EmbeddedStack> {
  const existing = runningStack(plan.dir) ?? (explicitDir ? undefined : runningStack(defaultStackDir()));
  if (existing) {
    log(`using the local stack at ${existing.frontendAddress} (${existing.dir})`);
    return { state: existing, owned: false, stop: async () => undefined };
  }
  const p = plan.frontendPort;
  const options = defaultStackOptions({
    dir: plan.dir,
    persistence: 'sqlite',
    historyShards: plan.shards,
    frontendPort: p,
    internalPortBase: p + 1,
    metricsPort: p + 10,
    prometheusPort: p + 11,
    scrapeIntervalSeconds: 1,
    // Prometheus is optional: without it the run scrapes the server's /metrics itself (runner/server-metrics-source.ts).
    prometheus: prometheusInstalled(),
  });
  log(`starting an embedded stack (sqlite, ${plan.shards} shards) at 127.0.0.1:${p} in ${plan.dir}`);
  if (!options.prometheus) log("prometheus is not installed: the report's server panels come from scraping the server's /metrics directly; `apt-get install prometheus` adds the worker and runner panels and PromQL over the run");
  const state = await stackUp(options, log);
  return {
    state,
    owned: true,
    async stop() {
      await stackDown(plan.dir, false, log);
      fs.rmSync(plan.dir, { recursive: true, force: true });
    },
  };
}

/** A connection to the frontend at `config.address`; unreachable is a usage error (one line, exit 2). */
export async function connectTo(config: ConnectionConfig & { address: string }): Promise<Connection> {
  try {
    return await Connection.connect({ address: config.address, tls: config.tls, apiKey: config.apiKey, connectTimeout: 5000 });
  } catch (err) {
    const cause = (await diagnoseTls(config)) ?? (err as Error).message.split('\n')[0];
    throw new UsageError(`cannot reach a Temporal frontend at ${config.address}: ${cause}`);
  }
}

/**
 * Connects once to check the address and namespace before anything is started or written:
 * unreachable servers and unknown namespaces are usage errors. Returns the cluster info.
 */
export async function checkTarget(config: ConnectionConfig & { address: string }): Promise<ClusterInfo> {
  const connection = await connectTo(config);
  try {
    const info = await connection
      .withDeadline(Date.now() + 10_000, () => getClusterInfo(connection))
      .catch((err: Error) => {
        throw new UsageError(`${config.address} did not answer GetClusterInfo: ${err.message.split('\n')[0]}`);
      });
    await connection
      .withDeadline(Date.now() + 10_000, () => connection.workflowService.describeNamespace({ namespace: config.namespace }))
      .catch((err: Error & { code?: number }) => {
        if (err.code === 5) throw new UsageError(`namespace ${config.namespace} does not exist on ${config.address}: run bench setup --address ${config.address} --namespace ${config.namespace}`);
        throw new UsageError(`cannot describe namespace ${config.namespace} on ${config.address}: ${err.message.split('\n')[0]}`);
      });
    return info;
  } finally {
    await connection.close();
  }
}

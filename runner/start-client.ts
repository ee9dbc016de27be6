import { Client, Connection, WorkflowExecutionAlreadyStartedError, type ConnectionLike } from '@temporalio/client';
import type { ConnectionConfig } from '../cli/connection.js';
import { parseDurationMs } from '../scenarios/duration.js';
import type { Interaction } from '../scenarios/types.js';
import { intendedMemoKey } from '../workflows/sinks.js';

/** gRPC status names by code, for errors by code in the timeline. */
const grpcNames = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

/** The gRPC status name of a failed call (or the error class when it is not a gRPC error). */
export function errorCode(err: unknown): string {
  if (err instanceof WorkflowExecutionAlreadyStartedError) return 'ALREADY_EXISTS';
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'number' && grpcNames[e.code]) return grpcNames[e.code]!;
  }
  return err instanceof Error ? err.name || 'Error' : 'Error';
}

export type ClientKind = 'connection' | 'native';

/** What the generator starts: a workflow type with its input and the calls to make afterwards. */
export interface StartRequest {
  workflowId: string;
  workflowType: string;
  args: unknown[];
  executionTimeoutMs: number;
  /** The arrival's intended time (epoch ms), sent as memo so workers attribute end-to-end latency to it. */
  intendedEpochMs?: number;
}


/**
 * The start client: one gRPC connection (`@temporalio/client` Connection, or the Rust-core
 * NativeConnection behind the same Client API) shared by every start and interaction.
 */
export class StartClient {
  private constructor(
    private readonly connection: ConnectionLike,
    private readonly client: Client,
    readonly taskQueue: string,
  ) {}

  static async connect(config: ConnectionConfig & { address: string }, taskQueue: string, kind: ClientKind = 'connection'): Promise<StartClient> {
    const common = { address: config.address, tls: config.tls, apiKey: config.apiKey };
    let connection: ConnectionLike;
    if (kind === 'native') {
      const { NativeConnection } = await import('@temporalio/worker');
      connection = await NativeConnection.connect(common);
    } else {
      // gRPC's reconnect backoff grows to minutes after an outage; a load generator must see the server
      // come back within a second, or the outage it reports is partly its own backoff.
      const channelArgs = { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.min_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 1000 };
      connection = await Connection.connect({ ...common, connectTimeout: 15_000, channelArgs });
    }
    return new StartClient(connection, new Client({ connection, namespace: config.namespace }), taskQueue);
  }

  get workflowService() {
    return this.connection.workflowService;
  }

  async start(req: StartRequest): Promise<void> {
    await this.client.workflow.start(req.workflowType, {
      taskQueue: this.taskQueue,
      workflowId: req.workflowId,
      args: req.args,
      workflowExecutionTimeout: req.executionTimeoutMs,
      ...(req.intendedEpochMs === undefined ? {} : { memo: { [intendedMemoKey]: Math.round(req.intendedEpochMs) } }),
    });
  }

  /** One signal, update or query to a started workflow. */
  async interact(workflowId: string, interaction: Interaction): Promise<void> {
    const handle = this.client.workflow.getHandle(workflowId);
    const args = interaction.args ?? [];
    if (interaction.type === 'signal') await handle.signal(interaction.name, ...args);
    else if (interaction.type === 'update') await handle.executeUpdate(interaction.name, { args: args as [unknown, ...unknown[]] });
    else await handle.query(interaction.name, ...args);
  }

  /** Waits for a workflow's result (closed model only: one long-poll per VU, bounded by the VU count). */
  async result(workflowId: string): Promise<void> {
    await this.client.workflow.getHandle(workflowId).result();
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export function interactionDelays(i: Interaction): { delayMs: number; intervalMs: number; count: number } {
  return { delayMs: parseDurationMs(i.delay ?? 0), intervalMs: parseDurationMs(i.interval ?? 0), count: i.count ?? 1 };
}

import { Client, Connection, WorkflowExecutionAlreadyStartedError, type ConnectionLike } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import type { ConnectionConfig } from '../core/connection.js';
import { parseDurationMs } from '../scenarios/duration.js';
import type { Interaction } from '../scenarios/types.js';
import { intendedMemoKey } from '../workflows/sinks.js';
import { grpcStatusNames } from '../core/grpc-status.js';

/** The gRPC status name of a failed call (or the error class when it is not a gRPC error). */
export function errorCode(err: unknown): string {
  if (err instanceof WorkflowExecutionAlreadyStartedError) return 'ALREADY_EXISTS';
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'number' && grpcStatusNames[e.code]) return grpcStatusNames[e.code]!;
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
  /** Encoded input per args array: a mix entry's args are one array, encoded once for every start. */
  private readonly inputs = new WeakMap<unknown[], Payload[]>();
  private readonly taskQueueProto: { kind: proto.temporal.api.enums.v1.TaskQueueKind; name: string };

  private constructor(
    private readonly connection: ConnectionLike,
    private readonly client: Client,
    readonly taskQueue: string,
  ) {
    this.taskQueueProto = { kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL, name: taskQueue };
  }

  static async connect(config: ConnectionConfig & { address: string }, taskQueue: string, kind: ClientKind = 'connection'): Promise<StartClient> {
    const common = { address: config.address, tls: config.tls, apiKey: config.apiKey };
    let connection: ConnectionLike;
    if (kind === 'native') {
      connection = await (await nativeConnectionClass()).connect(common);
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

  /**
   * The request `client.workflow.start` would send (same fields, default data converter, the same
   * WorkflowService with its namespace header and retries), built here so a start costs no option
   * compilation or input encoding per call: at 2,000/s the SDK path allocated ~23 KB per start and
   * its garbage-collection pauses were most of the scheduling lag's tail.
   */
  async start(req: StartRequest): Promise<void> {
    const { namespace, identity } = this.client.options;
    await this.connection.workflowService.startWorkflowExecution({
      namespace,
      identity,
      requestId: randomUUID(),
      workflowId: req.workflowId,
      workflowType: { name: req.workflowType },
      taskQueue: this.taskQueueProto,
      input: { payloads: this.encodedInput(req.args) },
      workflowExecutionTimeout: durationOf(req.executionTimeoutMs),
      memo: req.intendedEpochMs === undefined ? undefined : { fields: { [intendedMemoKey]: defaultPayloadConverter.toPayload(Math.round(req.intendedEpochMs)) } },
    });
  }

  private encodedInput(args: unknown[]): Payload[] {
    let payloads = this.inputs.get(args);
    if (!payloads) this.inputs.set(args, (payloads = args.map((a) => defaultPayloadConverter.toPayload(a))));
    return payloads;
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

/**
 * NativeConnection alone: the package index also loads the bundler and the replayer (rxjs, memfs,
 * webpack: ~400 more modules, ~3 MB more heap that a coordinator would carry and garbage-collect for
 * its whole run, which made each of its major collections dearer). The index if the file moves.
 */
async function nativeConnectionClass(): Promise<typeof import('@temporalio/worker').NativeConnection> {
  try {
    return (await import('@temporalio/worker/lib/connection.js')).NativeConnection;
  } catch {
    return (await import('@temporalio/worker')).NativeConnection;
  }
}

const durations = new Map<number, proto.google.protobuf.IDuration>();
/** A protobuf Duration of `ms` (a run uses one timeout: built once). */
function durationOf(ms: number): proto.google.protobuf.IDuration {
  let d = durations.get(ms);
  if (!d) durations.set(ms, (d = proto.google.protobuf.Duration.fromObject({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 })));
  return d;
}

export function interactionDelays(i: Interaction): { delayMs: number; intervalMs: number; count: number } {
  return { delayMs: parseDurationMs(i.delay ?? 0), intervalMs: parseDurationMs(i.interval ?? 0), count: i.count ?? 1 };
}

import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type InjectedSinks, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { activities } from '../../activities/index.js';
import type { BenchSinks, CompletionEvent } from '../../workflows/sinks.js';

export interface BenchWorkerHarness {
  client: Client;
  worker: Worker;
  taskQueue: string;
  /** Everything the completion sink reported, in order. */
  completions: CompletionEvent[];
  stop(): Promise<void>;
}

/**
 * An in-process worker with every bench workflow and activity on one task queue, plus a client.
 * The completion sink records into `completions` so tests can check what a worker would measure.
 */
export async function startBenchWorker(opts: { address: string; namespace: string; taskQueue: string; workflowBundle: WorkflowBundleWithSourceMap }): Promise<BenchWorkerHarness> {
  const completions: CompletionEvent[] = [];
  const sinks: InjectedSinks<BenchSinks> = {
    bench: { finished: { fn: (_info, event) => void completions.push(event), callDuringReplay: false } },
  };
  const nativeConnection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.workflowBundle,
    activities,
    sinks,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection, namespace: opts.namespace });
  return {
    client,
    worker,
    taskQueue: opts.taskQueue,
    completions,
    async stop() {
      worker.shutdown();
      await running;
      await Promise.all([connection.close(), nativeConnection.close()]);
    },
  };
}

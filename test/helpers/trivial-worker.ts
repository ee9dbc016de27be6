import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const workflowsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'trivial-workflow.ts');

/** Runs the trivial workflow once on a stack with an in-process TypeScript worker; returns its result. */
export async function runTrivialWorkflow(address: string, namespace = 'bench'): Promise<string> {
  const taskQueue = `trivial-${process.pid}-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const worker = await Worker.create({ connection: nativeConnection, namespace, taskQueue, workflowsPath });
    const client = new Client({ connection, namespace });
    return await worker.runUntil(client.workflow.execute('trivialWorkflow', { taskQueue, workflowId: taskQueue, args: ['stack'], workflowExecutionTimeout: '60s' }));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

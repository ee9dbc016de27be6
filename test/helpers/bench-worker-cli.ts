import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { repoRoot } from './test-stack.js';

export interface WorkerCliInfo {
  statsUrl: string;
  processes: { pid: number; id: string; sdkMetricsUrl: string; metricsUrl: string }[];
}

export interface RunningWorkerCli {
  child: ChildProcess;
  info: WorkerCliInfo;
  stderr: () => string;
  /** Sends SIGINT and resolves with the exit code once the CLI has drained and exited. */
  interrupt(): Promise<number | null>;
}

/**
 * Starts `bench worker ARGS` as a user would and resolves when it prints its JSON line, which it does
 * only once every worker process polls (the CLI's own readiness, no sleeping here).
 */
export function startWorkerCli(args: string[], timeoutMs = 90_000): Promise<RunningWorkerCli> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'bench.js'), 'worker', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench worker not ready within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').length > 1 ? stdout.split('\n')[0]! : undefined;
      if (line === undefined) return;
      clearTimeout(timer);
      resolve({
        child,
        info: JSON.parse(line) as WorkerCliInfo,
        stderr: () => stderr,
        interrupt: () => (child.kill('SIGINT'), exit),
      });
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bench worker exited (${code}) before it was ready: ${stderr}`));
    });
  });
}

/** A client on the bench namespace; close the connection when done. */
export async function benchClient(address: string): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace: 'bench' }), close: () => connection.close() };
}

/** Starts `count` workflows alternating noop and single-activity, and awaits every result. */
export async function runWorkflows(client: Client, taskQueue: string, prefix: string, count: number): Promise<number> {
  const handles = await Promise.all(Array.from({ length: count }, (_, i) => client.workflow.start(i % 2 ? 'activityWorkflow' : 'noopWorkflow', { taskQueue, workflowId: `${prefix}-${i}`, args: [{}] })));
  await Promise.all(handles.map((h) => h.result()));
  return handles.length;
}

export { pollUntil } from './prometheus.js';

import { Client, Connection } from '@temporalio/client';

export interface VisibleOutcome {
  /** Workflows the starter started (children excluded) that closed. */
  closed: number;
  /** Close time − start time (server clocks), the same yardstick for every side. */
  e2eP50Ms: number;
  e2eP99Ms: number;
  /** Close time of the last of them (epoch ms): the end of the worker's load window. */
  lastCloseMs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

/**
 * Waits until `expected` top-level workflows on `taskQueue` have closed (visibility is eventually
 * consistent) and reads their end-to-end latency from the server's own start and close times.
 */
export async function visibleOutcome(address: string, namespace: string, taskQueue: string, expected: number, timeoutMs = 180_000): Promise<VisibleOutcome> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const latencies: number[] = [];
      let lastCloseMs = 0;
      for await (const wf of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus != 'Running'`, pageSize: 1000 })) {
        if (wf.parentExecution || !wf.closeTime) continue;
        latencies.push(wf.closeTime.getTime() - wf.startTime.getTime());
        lastCloseMs = Math.max(lastCloseMs, wf.closeTime.getTime());
      }
      if (latencies.length >= expected || Date.now() > deadline) {
        latencies.sort((a, b) => a - b);
        return { closed: latencies.length, e2eP50Ms: quantile(latencies, 0.5), e2eP99Ms: quantile(latencies, 0.99), lastCloseMs };
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await connection.close();
  }
}

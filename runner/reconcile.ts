import type { WorkflowService } from '@temporalio/client';
import type { Reconciliation } from '../recorder/result-schema.js';

/**
 * Accounts for every workflow a run started, through visibility (SQL visibility in 1.24 supports
 * `TaskQueue = ...`, `ParentWorkflowId IS NULL` and `GROUP BY ExecutionStatus`): top-level
 * executions on the run's task queue, counted by status. Child workflows (fan-out) are excluded;
 * the runs a continue-as-new chain closed are counted apart, so each started id counts once.
 * Visibility is eventually consistent: counts are polled until they cover every acknowledged start,
 * and ids still missing are looked up one by one with DescribeWorkflowExecution.
 */
export const runQuery = (taskQueue: string) => `TaskQueue = '${taskQueue}' AND ParentWorkflowId IS NULL`;

const statusKey: Record<string, keyof Reconciliation> = {
  Completed: 'completed',
  Failed: 'failed',
  TimedOut: 'timedOut',
  Canceled: 'canceled',
  Running: 'running',
  Terminated: 'terminated',
  ContinuedAsNew: 'continuedAsNew',
};
// WorkflowExecutionStatus enum values → the same keys (for DescribeWorkflowExecution).
const statusByEnum: (keyof Reconciliation | undefined)[] = [undefined, 'running', 'completed', 'failed', 'canceled', 'terminated', 'continuedAsNew', 'timedOut'];

export interface ReconcileOptions {
  service: WorkflowService;
  namespace: string;
  runId: string;
  taskQueue: string;
  /** Starts the server acknowledged. */
  started: number;
  /** Highest arrival number issued + 1: ids `<runId>-0 … <runId>-(maxN-1)` may exist. */
  maxN: number;
  /** How long to wait for visibility to catch up. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

function empty(): Reconciliation {
  return { completed: 0, failed: 0, timedOut: 0, canceled: 0, running: 0, terminated: 0, continuedAsNew: 0, unaccounted: 0 };
}

/** Workflows the server has for the run, in any state (each started id once). */
export const foundOf = (r: Reconciliation) => r.completed + r.failed + r.timedOut + r.canceled + r.running + r.terminated;

export async function countByStatus(service: WorkflowService, namespace: string, taskQueue: string): Promise<Reconciliation> {
  const res = await service.countWorkflowExecutions({ namespace, query: `${runQuery(taskQueue)} GROUP BY ExecutionStatus` });
  const out = empty();
  for (const g of res.groups ?? []) {
    const payload = g.groupValues?.[0]?.data;
    const status = payload ? (JSON.parse(Buffer.from(payload).toString()) as string) : '';
    const key = statusKey[status];
    if (key) out[key] += Number(g.count ?? 0);
  }
  return out;
}

async function describeMissing(opts: ReconcileOptions, counts: Reconciliation): Promise<Reconciliation> {
  const seen = new Set<string>();
  let token: Uint8Array | undefined;
  do {
    const page = await opts.service.listWorkflowExecutions({ namespace: opts.namespace, query: runQuery(opts.taskQueue), pageSize: 1000, nextPageToken: token });
    for (const e of page.executions ?? []) if (e.execution?.workflowId) seen.add(e.execution.workflowId);
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (token);
  const missing = Array.from({ length: opts.maxN }, (_, n) => `${opts.runId}-${n}`).filter((id) => !seen.has(id));
  const out = { ...counts };
  for (let i = 0; i < missing.length; i += 20) {
    const keys = await Promise.all(missing.slice(i, i + 20).map((workflowId) => statusOf(opts, workflowId)));
    for (const key of keys) if (key) out[key]++;
  }
  return out;
}

/** The status of a workflow id's latest run, from the execution itself; undefined if there is none. */
async function statusOf(opts: ReconcileOptions, workflowId: string): Promise<keyof Reconciliation | undefined> {
  const d = await opts.service.describeWorkflowExecution({ namespace: opts.namespace, execution: { workflowId } }).catch(() => undefined);
  return d ? statusByEnum[d.workflowExecutionInfo?.status ?? 0] : undefined;
}

export async function reconcile(opts: ReconcileOptions): Promise<Reconciliation> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let counts = await countByStatus(opts.service, opts.namespace, opts.taskQueue);
  while (foundOf(counts) < opts.started && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250)); // visibility catching up: re-ask, bounded by the deadline
    counts = await countByStatus(opts.service, opts.namespace, opts.taskQueue);
  }
  if (foundOf(counts) < opts.started && opts.maxN <= 20_000) {
    opts.log?.(`visibility shows ${foundOf(counts)} of ${opts.started} started workflows; describing the missing ids`);
    counts = await describeMissing(opts, counts);
  }
  if (counts.running > 0 && counts.running <= 1000) counts = await confirmRunning(opts, counts);
  counts.unaccounted = Math.max(0, opts.started - foundOf(counts));
  return counts;
}

const listPage = 1000;

/** Top-level workflow ids of the run that visibility lists as running (one page). */
async function listedRunning(service: WorkflowService, namespace: string, taskQueue: string): Promise<string[]> {
  const page = await service.listWorkflowExecutions({ namespace, query: `${runQuery(taskQueue)} AND ExecutionStatus = 'Running'`, pageSize: listPage });
  return (page.executions ?? []).map((e) => e.execution?.workflowId).filter((id): id is string => Boolean(id));
}

/**
 * Visibility can list a workflow as running well after it closed (its close record waits in a busy
 * history's visibility queue; seen for over a minute on a saturated host): each one it lists is
 * described (DescribeWorkflowExecution reads the execution itself) and counted by its real status.
 */
async function confirmRunning(opts: ReconcileOptions, counts: Reconciliation): Promise<Reconciliation> {
  const out = { ...counts };
  let closed = 0;
  const ids = await listedRunning(opts.service, opts.namespace, opts.taskQueue);
  for (let i = 0; i < ids.length; i += 20) {
    const keys = await Promise.all(ids.slice(i, i + 20).map((workflowId) => statusOf(opts, workflowId)));
    for (const key of keys) {
      if (!key || key === 'running' || out.running === 0) continue;
      out.running--;
      out[key]++;
      closed++;
    }
  }
  if (closed) opts.log?.(`visibility still lists ${closed} closed workflow(s) as running: counted by their real status (DescribeWorkflowExecution)`);
  return out;
}

/**
 * Terminates every still-running top-level workflow of a run (leftovers after the drain), then waits
 * until visibility shows none running. Returns how many it terminated.
 */
export async function terminateLeftovers(service: WorkflowService, namespace: string, taskQueue: string, reason: string, timeoutMs = 60_000): Promise<number> {
  let terminated = 0;
  const deadline = Date.now() + timeoutMs;
  // Ids the server said are closed (NOT_FOUND / FAILED_PRECONDITION): visibility may list them as running for a while yet.
  const closed = new Set<string>();
  for (;;) {
    const listed = await listedRunning(service, namespace, taskQueue);
    const ids = listed.filter((id) => !closed.has(id));
    if (ids.length === 0) {
      // All it lists (a whole page: there may be more) closed already: only visibility's lag is left.
      if (listed.length > 0 && listed.length < listPage) return terminated;
      const counts = await countByStatus(service, namespace, taskQueue);
      if (counts.running === 0 || Date.now() > deadline) return terminated;
      await new Promise((r) => setTimeout(r, 250)); // visibility not yet showing the terminations
      continue;
    }
    for (let i = 0; i < ids.length; i += 50) {
      const results = await Promise.all(
        ids.slice(i, i + 50).map((workflowId) =>
          service.terminateWorkflowExecution({ namespace, workflowExecution: { workflowId }, reason }).then(
            () => (closed.add(workflowId), 1),
            // NOT_FOUND or FAILED_PRECONDITION: already closed
            (err: { code?: number }) => (err.code === 5 || err.code === 9 ? (closed.add(workflowId), 0) : Promise.reject(err)),
          ),
        ),
      );
      terminated += results.reduce((s: number, x) => s + x, 0);
    }
    if (Date.now() > deadline) return terminated;
    // Visibility lags the terminations; the next list may return some of these again (NOT_FOUND is fine).
    await new Promise((r) => setTimeout(r, 250));
  }
}

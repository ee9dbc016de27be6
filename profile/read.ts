/**
 * The read side of `bench profile`: List, Count and GetWorkflowExecutionHistory only, paged and
 * held to `--max-rps` calls a second, so it can read a production namespace without writing to it
 * or loading it.
 */
import type { WorkflowService } from '@temporalio/client';
import type proto from '@temporalio/proto';

export type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** Workflow execution status names by enum value (temporal.api.enums.v1.WorkflowExecutionStatus). */
const statusNames = ['Unspecified', 'Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'];

export interface ListedExecution {
  type: string;
  workflowId: string;
  runId: string;
  startMs: number;
  /** Null while it runs. */
  closeMs: number | null;
  status: string;
}

/** Spaces calls at least 1/rate seconds apart (no bursts: a production frontend sees a steady trickle). */
export class CallPacer {
  private next = 0;
  constructor(private readonly perSecond: number) {}

  async take(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

export const timestampMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number | null => (t?.seconds === undefined || t.seconds === null ? null : Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));

export interface ReadContext {
  service: WorkflowService;
  namespace: string;
  pacer: CallPacer;
}

/** Top-level executions (children are part of their parent's shape) started at or after `sinceMs`. */
export function sinceQuery(sinceMs: number): string {
  return `StartTime >= '${new Date(sinceMs).toISOString()}' AND ParentWorkflowId IS NULL`;
}

export async function countExecutions(ctx: ReadContext, query: string): Promise<number> {
  await ctx.pacer.take();
  return Number((await ctx.service.countWorkflowExecutions({ namespace: ctx.namespace, query })).count ?? 0);
}

/** Up to `max` executions, newest first, page by page; `onPage` reports progress. */
export async function listExecutions(ctx: ReadContext, query: string, max: number, onPage: (listed: number) => void): Promise<ListedExecution[]> {
  const out: ListedExecution[] = [];
  let token: Uint8Array | undefined;
  do {
    await ctx.pacer.take();
    const page = await ctx.service.listWorkflowExecutions({ namespace: ctx.namespace, query, pageSize: Math.min(1000, max - out.length), nextPageToken: token });
    for (const e of page.executions ?? []) {
      const startMs = timestampMs(e.startTime);
      if (startMs === null || !e.type?.name || !e.execution?.workflowId) continue;
      out.push({ type: e.type.name, workflowId: e.execution.workflowId, runId: e.execution.runId ?? '', startMs, closeMs: timestampMs(e.closeTime), status: statusNames[e.status ?? 0] ?? 'Unspecified' });
    }
    onPage(out.length);
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (token && out.length < max);
  return out;
}

/** One execution's whole history, page by page. */
export async function readHistory(ctx: ReadContext, e: Pick<ListedExecution, 'workflowId' | 'runId'>): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let token: Uint8Array | undefined;
  do {
    await ctx.pacer.take();
    const page = await ctx.service.getWorkflowExecutionHistory({ namespace: ctx.namespace, execution: { workflowId: e.workflowId, runId: e.runId }, maximumPageSize: 1000, nextPageToken: token });
    events.push(...(page.history?.events ?? []));
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (token);
  return events;
}

import type { WorkflowService } from '@temporalio/client';
import { runQuery } from '../runner/reconcile.js';
import { intendedTime, type RateProfile } from '../schedule/schedule.js';

/** How many of the run's workflows to look at: enough for a stable median, bounded for long runs. */
const sampleLimit = 5000;

/**
 * Each segment's clock offset, estimated from its intended-time schedule: for workflow n (owned by
 * segment n mod count) the server records a start time; start time − (t0 + intended time of n) is that
 * segment's clock offset plus that start's delay (scheduling lag, network, frontend). The minimum per
 * segment is its fastest start, where the delay is smallest (NTP's minimum-delay filter): compared
 * across segments it shows hosts whose clocks disagree (every host's schedule runs on its own clock).
 */
export async function segmentClockOffsets(service: WorkflowService, namespace: string, taskQueue: string, runId: string, t0Epoch: number, profile: RateProfile, count: number): Promise<(number | null)[]> {
  const offsets: number[][] = Array.from({ length: count }, () => []);
  let token: Uint8Array | undefined;
  let seen = 0;
  do {
    // Visibility pages in no particular order: a sample of a long run covers it throughout.
    const page = await service.listWorkflowExecutions({ namespace, query: runQuery(taskQueue), pageSize: 1000, nextPageToken: token });
    for (const e of page.executions ?? []) {
      const n = Number(e.execution?.workflowId?.slice(runId.length + 1));
      const start = e.startTime;
      if (!Number.isInteger(n) || !start) continue;
      const startMs = Number(start.seconds ?? 0) * 1000 + Math.round((start.nanos ?? 0) / 1e6);
      offsets[n % count]!.push(startMs - (t0Epoch + intendedTime(profile, n) * 1000));
      seen++;
    }
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (token && seen < sampleLimit);
  return offsets.map((list) => {
    if (list.length === 0) return null;
    return Math.round(Math.min(...list));
  });
}

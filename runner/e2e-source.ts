import type { ConnectionConfig } from '../cli/connection.js';
import type { WorkerTuning } from '../workers/options.js';
import { startWorkerPool } from '../workers/pool.js';
import { fetchE2E } from '../workers/stats-client.js';
import type { E2EInterval } from './timeline.js';

/**
 * Where end-to-end latencies come from: the stats endpoints of the workers running the run's task
 * queue (an in-process pool `bench run` started, and/or external `bench worker` processes).
 */
export class E2ESource {
  private readonly afterSeq = new Map<string, number>();
  private readonly totals = new Map<string, { completed: number; failed: number; canceled: number }>();

  constructor(
    readonly urls: string[],
    private readonly taskQueue: string,
  ) {}

  /** New intervals from every endpoint since the last poll. Unreachable endpoints are skipped this time. */
  async poll(): Promise<{ intervals: E2EInterval[]; problems: string[] }> {
    const intervals: E2EInterval[] = [];
    const problems: string[] = [];
    await Promise.all(
      this.urls.map(async (url) => {
        try {
          const res = await fetchE2E(url, this.taskQueue, this.afterSeq.get(url));
          for (const iv of res.intervals) {
            intervals.push(iv);
            this.afterSeq.set(url, Math.max(this.afterSeq.get(url) ?? -1, iv.seq));
          }
          this.totals.set(url, { completed: res.totals.completed, failed: res.totals.failed, canceled: res.totals.canceled });
        } catch (err) {
          problems.push(`${url}: ${(err as Error).message.split('\n')[0]}`);
        }
      }),
    );
    return { intervals, problems };
  }

  /** Workflows the workers saw finish (any status), over every endpoint. */
  get finished(): number {
    let n = 0;
    for (const t of this.totals.values()) n += t.completed + t.failed + t.canceled;
    return n;
  }
}

export interface RunWorkers {
  statsUrl: string;
  stop(): Promise<void>;
}

/** The worker pool `bench run` starts itself (--workers N, default 1 unless --worker-stats is given). */
export async function startRunWorkers(
  connection: ConnectionConfig,
  taskQueue: string,
  processes: number,
  stackDir: string | undefined,
  log: (line: string) => void,
  tuning: WorkerTuning = {},
): Promise<RunWorkers> {
  const pool = await startWorkerPool({ ...tuning, connection, taskQueue, processes, stackDir, log });
  return { statsUrl: pool.statsUrl, stop: () => pool.stop() };
}

/**
 * The runner's side of the workers' end-to-end latency endpoint (served by the `bench worker`
 * supervisor, see workers/stats-server.ts). One cheap HTTP GET per poll, whatever the load: the
 * server sees no extra calls per workflow. Latency histograms merge with metrics/histogram.ts.
 */
import http from 'node:http';
import https from 'node:https';

/**
 * Workflows of one task queue, meant to start in [startMs, endMs), that finished (on any process of the
 * pool) in the reporting period ending at reportedUntilMs. One period lists one interval per intended
 * second it saw (or one empty interval for the period itself), so a second may appear in several.
 */
export interface E2EInterval {
  /** 1, 2, 3... per task queue; pass the last seen as afterSeq to get only newer intervals. */
  seq: number;
  startMs: number;
  endMs: number;
  /** Every completion before this (epoch ms) has been reported in this or an earlier interval. */
  reportedUntilMs: number;
  /** HDR histogram (base64, microseconds) of end-to-end latency: server start time to finish. */
  histogram: string;
  completed: number;
  failed: number;
  canceled: number;
}

export interface E2ETotals {
  completed: number;
  failed: number;
  canceled: number;
  /** Every interval merged; its totalCount is completed + failed + canceled. Left out when asked with totals=counts. */
  histogram?: string;
  /** Finished workflows per worker process (`host/pid`). */
  byProcess: Record<string, number>;
}

export interface E2ESnapshot {
  taskQueue: string;
  /**
   * Which supervisor answered (random per `bench worker` start): a reader keeps its afterSeq per
   * instance, so a restarted worker or a reused pod address is read from its first interval, never
   * with another supervisor's cursor. Absent from older workers.
   */
  instance?: string;
  /**
   * Every worker process of this supervisor has exited and every interval is closed: none will follow
   * the ones listed. A reader that asks with afterSeq at or past the last seq has read everything (the
   * supervisor's `--linger` waits for that). Absent from older workers.
   */
  final?: boolean;
  /** Closed intervals with seq > afterSeq, oldest first. An interval never changes once listed. */
  intervals: E2EInterval[];
  /** Over every closed interval since the pool started (not only those listed). */
  totals: E2ETotals;
}

export function e2eUrl(statsUrl: string, taskQueue: string, afterSeq = 0, totalsHistogram = true): string {
  const url = new URL('/e2e', statsUrl);
  url.searchParams.set('taskQueue', taskQueue);
  url.searchParams.set('afterSeq', String(afterSeq));
  if (!totalsHistogram) url.searchParams.set('totals', 'counts');
  return url.toString();
}

// One kept-alive connection per endpoint: a reader polls every second, and undici's fetch cost ~3 ms a call.
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 4 }), https: new https.Agent({ keepAlive: true, maxSockets: 4 }) };

function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const secure = url.startsWith('https:');
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).get(url, { agent: secure ? agents.https : agents.http, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

/**
 * One poll of a stats endpoint. With `totalsHistogram` false the supervisor leaves out
 * totals.histogram (the whole run's merge, re-encoded on every poll): a runner reads the intervals.
 */
export async function fetchE2E(statsUrl: string, taskQueue: string, afterSeq = 0, totalsHistogram = true): Promise<E2ESnapshot> {
  let res: { status: number; body: string };
  try {
    res = await getJson(e2eUrl(statsUrl, taskQueue, afterSeq, totalsHistogram), 10_000);
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    throw new Error(`cannot reach the worker stats endpoint ${statsUrl}: ${code}`);
  }
  if (res.status !== 200) throw new Error(`worker stats endpoint ${statsUrl}: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body) as E2ESnapshot;
}

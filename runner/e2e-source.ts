import type { ConnectionConfig } from '../core/connection.js';
import type { WorkerPoolOptions, WorkerTuning } from '../workers/options.js';
import { startWorkerPool } from '../workers/pool.js';
import { fetchE2E, type E2ESnapshot } from '../workers/stats-client.js';
import { addressUrl, dnsResolver, parseStatsSource, type ResolvedName } from './dns-endpoints.js';
import type { E2EInterval } from '../recorder/timeline.js';

/** What the runner pulled from one stats endpoint (result.json `environment.workerEndpoints`). */
export interface WorkerEndpoint {
  /** The endpoint polled: a plain --worker-stats URL, or `http://ADDR:PORT` of an address of a dns+http:// name. */
  url: string;
  /** The --worker-stats value it came from (the first one, if several list it). */
  source: string;
  /** Seconds since the source was created when the endpoint was first listed (configured, or in a DNS answer). */
  firstSeenS: number;
  /** Seconds since the source was created, of the last successful poll (firstSeenS if it never answered). */
  lastSeenS: number;
  /** Intervals pulled from it. */
  intervals: number;
  /** Workflows finished (completed + failed + canceled) in the intervals pulled from it. */
  finished: number;
  /** At the end: no longer in its name's DNS answer, or its last poll failed. */
  gone: boolean;
}

export interface E2ESourceOptions {
  /** Every A and AAAA record of a name; default the node:dns Resolver (BENCH_DNS_SERVERS). */
  resolve?: (name: string) => Promise<ResolvedName>;
  /** One GET /e2e; default fetchE2E. */
  fetch?: (statsUrl: string, taskQueue: string, afterSeq: number) => Promise<E2ESnapshot>;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

interface Endpoint {
  url: string;
  source: string;
  /** Given as a plain URL: always polled. */
  plain: boolean;
  /** dns+http sources whose last answer lists it. */
  listedBy: Set<string>;
  /** Out of DNS and read to its end (or not answering): not polled until a DNS answer lists it again. */
  retired: boolean;
  failing: boolean;
  /** Per supervisor instance (E2ESnapshot.instance; '' for workers that do not send one): its afterSeq, and the poll it last answered. */
  cursors: Map<string, { afterSeq: number; answeredAt: number }>;
  /** Polls of this endpoint so far. */
  polls: number;
  firstSeenS: number;
  lastSeenS?: number;
  intervals: number;
  finished: number;
}

const listed = (ep: Endpoint) => ep.plain || ep.listedBy.size > 0;
/** Supervisors that answered within this many polls of an endpoint count for the afterSeq it sends. */
const recentPolls = 20;
const firstLine = (err: unknown) => (err as Error).message.split('\n')[0];

/**
 * Where end-to-end latencies come from: the stats endpoints of the workers running the run's task
 * queue (an in-process pool `bench run` started, and/or external `bench worker` processes; a
 * `dns+http://NAME:PORT` source is every address of NAME, re-resolved on every poll).
 *
 * One cursor (afterSeq) per endpoint address and supervisor instance: an address that appears is read
 * from its first interval; one that leaves DNS is still polled by address until its supervisor says it
 * is final and this source has acknowledged its last interval (or it stops answering), then dropped.
 * An answer from another supervisor than the one whose cursor was sent (a restarted worker, a reused
 * pod address, a load-balanced URL) is never read with the wrong cursor: no interval counts twice and
 * none is skipped.
 */
export class E2ESource {
  private readonly endpointsByKey = new Map<string, Endpoint>();
  private readonly dns: { source: string; name: string; port: number }[] = [];
  private readonly createdMs: number;
  private readonly now: () => number;
  private readonly fetch: NonNullable<E2ESourceOptions['fetch']>;
  private resolve?: E2ESourceOptions['resolve'];
  private readonly env: NodeJS.ProcessEnv;
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    readonly urls: string[],
    private readonly taskQueue: string,
    options: E2ESourceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.createdMs = this.now();
    // The runner reads intervals only: the supervisor need not encode its whole-run totals every poll.
    this.fetch = options.fetch ?? ((url, tq, afterSeq) => fetchE2E(url, tq, afterSeq, false));
    this.resolve = options.resolve;
    this.env = options.env ?? process.env;
    for (const value of urls) {
      const s = parseStatsSource(value);
      if (s.kind === 'dns') this.dns.push(s);
      else this.endpoint(s.url, value).plain = true;
    }
  }

  private elapsedS(): number {
    return Math.round(this.now() - this.createdMs) / 1000;
  }

  /** The record of one endpoint; plain URLs and resolved addresses of the same origin share one. */
  private endpoint(url: string, source: string): Endpoint {
    const key = new URL(url).origin;
    let ep = this.endpointsByKey.get(key);
    if (!ep) {
      ep = { url, source, plain: false, listedBy: new Set(), retired: false, failing: false, cursors: new Map(), polls: 0, firstSeenS: this.elapsedS(), intervals: 0, finished: 0 };
      this.endpointsByKey.set(key, ep);
    }
    return ep;
  }

  /**
   * New intervals from every endpoint since the last poll. Unreachable endpoints and failed DNS
   * resolutions are problems, skipped this time (a failed resolution keeps the addresses it had).
   * Polls run one at a time, in call order.
   */
  poll(): Promise<{ intervals: E2EInterval[]; problems: string[] }> {
    const next = this.previous.then(() => this.pollOnce());
    this.previous = next.catch(() => undefined);
    return next;
  }

  private async pollOnce(): Promise<{ intervals: E2EInterval[]; problems: string[] }> {
    const intervals: E2EInterval[] = [];
    const problems: string[] = [];
    if (this.dns.length) this.resolve ??= dnsResolver(this.env);
    await Promise.all(
      this.dns.map(async (d) => {
        let answer: ResolvedName;
        try {
          answer = await this.resolve!(d.name);
        } catch (err) {
          problems.push(`${d.source}: cannot resolve ${d.name}: ${firstLine(err)}`);
          return;
        }
        if (answer.addresses.length === 0) problems.push(`${d.source}: ${d.name} has no addresses${answer.nxdomain ? ' (NXDOMAIN: no such name; give the fully qualified name)' : ''}`);
        const answered = new Set(answer.addresses.map((a) => this.endpoint(addressUrl(a, d.port), d.source)));
        for (const ep of this.endpointsByKey.values()) {
          if (!answered.has(ep)) ep.listedBy.delete(d.source);
          else if (!ep.listedBy.has(d.source)) {
            // New, or back (a pod's address again): polled again, with the cursors it had.
            ep.listedBy.add(d.source);
            ep.retired = false;
          }
        }
      }),
    );
    const due = [...this.endpointsByKey.values()].filter((ep) => listed(ep) || !ep.retired);
    await Promise.all(due.map((ep) => this.pollEndpoint(ep, intervals, problems)));
    return { intervals, problems };
  }

  private async pollEndpoint(ep: Endpoint, intervals: E2EInterval[], problems: string[]): Promise<void> {
    ep.polls++;
    // The lowest cursor of the supervisors seen answering lately: whichever of them answers (one pod
    // per address, or a load-balanced URL) lists every interval past its own cursor.
    const recent = [...ep.cursors.values()].filter((c) => c.answeredAt >= ep.polls - recentPolls);
    let sent = recent.length ? Math.min(...recent.map((c) => c.afterSeq)) : 0;
    // At most one retry: when a supervisor answered of which we hold less than was asked for.
    for (let attempt = 0; attempt < 2; attempt++) {
      let res: E2ESnapshot;
      try {
        res = await this.fetch(ep.url, this.taskQueue, sent);
      } catch (err) {
        ep.failing = true;
        // Out of DNS and not answering: its last intervals are out of reach; stop asking.
        if (!listed(ep)) ep.retired = true;
        problems.push(`${ep.url}: ${firstLine(err)}${listed(ep) ? '' : ' (gone from DNS: dropped)'}`);
        return;
      }
      ep.failing = false;
      ep.lastSeenS = this.elapsedS();
      const instance = res.instance ?? '';
      const cursor = ep.cursors.get(instance) ?? { afterSeq: 0, answeredAt: 0 };
      cursor.answeredAt = ep.polls;
      ep.cursors.set(instance, cursor);
      const have = cursor.afterSeq;
      // Listed after `sent`, by a supervisor of which we hold less (a new pod on a reused address, a
      // restarted worker): using it would skip intervals. Ask again with its own cursor.
      if (sent > have) {
        sent = have;
        continue;
      }
      const fresh = res.intervals.filter((iv) => iv.seq > have);
      if (fresh.length && fresh[0]!.seq !== have + 1) problems.push(`${ep.url}: intervals ${have + 1}..${fresh[0]!.seq - 1} are no longer served: their workflows are missing`);
      for (const iv of fresh) {
        intervals.push(iv);
        ep.intervals++;
        ep.finished += iv.completed + iv.failed + iv.canceled;
      }
      if (fresh.length) cursor.afterSeq = fresh[fresh.length - 1]!.seq;
      // Out of DNS: done once it is final and this request acknowledged its last interval (older
      // workers say nothing about it: this was their last poll).
      if (!listed(ep) && (res.final === undefined || (res.final && fresh.length === 0 && sent === have))) ep.retired = true;
      return;
    }
    problems.push(`${ep.url}: answers came from different bench worker supervisors in a row (a load-balanced Service? use dns+http:// with a headless Service)`);
  }

  /** Workflows the workers saw finish (any status), in the intervals pulled from every endpoint. */
  get finished(): number {
    let n = 0;
    for (const ep of this.endpointsByKey.values()) n += ep.finished;
    return n;
  }

  /** Every endpoint polled so far (including those gone from DNS), for the result file. */
  endpoints(): WorkerEndpoint[] {
    return [...this.endpointsByKey.values()].map((ep) => ({
      url: ep.url,
      source: ep.source,
      firstSeenS: ep.firstSeenS,
      lastSeenS: ep.lastSeenS ?? ep.firstSeenS,
      intervals: ep.intervals,
      finished: ep.finished,
      gone: !listed(ep) || ep.failing,
    }));
  }
}

export interface RunWorkers {
  statsUrl: string;
  /** Drains the workers (in-flight tasks finish, last interval flushed); statsUrl keeps serving. */
  drain(): Promise<void>;
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
  coreLog: Pick<WorkerPoolOptions, 'coreLogFile' | 'onCoreLog'> = {},
): Promise<RunWorkers> {
  const pool = await startWorkerPool({ ...tuning, ...coreLog, connection, taskQueue, processes, stackDir, log });
  return { statsUrl: pool.statsUrl, drain: () => pool.drain(), stop: () => pool.stop() };
}

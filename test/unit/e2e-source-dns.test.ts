import { describe, expect, it } from 'vitest';
import { addressUrl, parseStatsSource, type ResolvedName } from '../../runner/dns-endpoints.js';
import { E2ESource } from '../../runner/e2e-source.js';
import { E2EStore } from '../../workers/e2e-store.js';
import type { E2EInterval, E2ESnapshot } from '../../workers/stats-client.js';

/**
 * A fake `bench worker` supervisor: closed intervals with contiguous seqs, each tagged (in `histogram`)
 * with a unique id, so the test can tell exactly which intervals a reader got and how often.
 */
class FakeSupervisor {
  readonly intervals: E2EInterval[] = [];
  final = false;
  reachable = true;
  /** Whether to send instance/final (older workers do not). */
  modern = true;
  readUpTo = 0;
  fetches = 0;
  constructor(readonly instance: string) {}

  /** Closes `n` more intervals, `finished` workflows each. */
  close(n: number, finished = 2): void {
    for (let i = 0; i < n; i++) {
      const seq = this.intervals.length + 1;
      this.intervals.push({ seq, startMs: 1000 * seq, endMs: 1000 * seq + 1000, reportedUntilMs: 1000 * seq + 1000, histogram: `${this.instance}#${seq}`, completed: finished, failed: 0, canceled: 0 });
    }
  }

  get finished(): number {
    return this.intervals.reduce((n, iv) => n + iv.completed + iv.failed + iv.canceled, 0);
  }

  snapshot(taskQueue: string, afterSeq: number): E2ESnapshot {
    this.fetches++;
    if (!this.reachable) throw new Error('cannot reach the worker stats endpoint: ECONNREFUSED');
    this.readUpTo = Math.max(this.readUpTo, afterSeq);
    const totals = { completed: this.finished, failed: 0, canceled: 0, histogram: '', byProcess: {} };
    const intervals = this.intervals.filter((iv) => iv.seq > afterSeq);
    return this.modern ? { taskQueue, instance: this.instance, final: this.final, intervals, totals } : { taskQueue, intervals, totals };
  }
}

/** A fake network: DNS names to address lists, stats URLs to the supervisor (or supervisors, load-balanced) behind them. */
function fakeNetwork() {
  const names = new Map<string, string[]>();
  const behind = new Map<string, FakeSupervisor[]>();
  let dnsDown = false;
  const fetched: string[] = [];
  const resolve = async (name: string): Promise<ResolvedName> => {
    if (dnsDown) throw new Error(`queryA ETIMEOUT ${name}`);
    const addresses = names.get(name);
    return { addresses: addresses ?? [], nxdomain: addresses === undefined };
  };
  let pick = 0;
  const fetch = async (url: string, taskQueue: string, afterSeq: number) => {
    fetched.push(url);
    const sups = behind.get(url);
    if (!sups?.length) throw new Error(`cannot reach the worker stats endpoint ${url}: ECONNREFUSED`);
    // A load-balanced URL answers from a different supervisor every time.
    return sups[pick++ % sups.length]!.snapshot(taskQueue, afterSeq);
  };
  return { names, behind, resolve, fetch, fetched, setDnsDown: (down: boolean) => (dnsDown = down) };
}

/** Every interval id a source emitted, checked against what the supervisors hold: each exactly once. */
function expectEachOnce(got: E2EInterval[], supervisors: FakeSupervisor[]): void {
  const ids = got.map((iv) => iv.histogram);
  expect(new Set(ids).size, 'an interval counted twice').toBe(ids.length);
  expect(ids.sort()).toEqual(supervisors.flatMap((s) => s.intervals.map((iv) => iv.histogram)).sort());
}

const url = (n: number) => addressUrl(`10.0.0.${n}`, 9000);

describe('E2ESource with dns+http:// (one cursor per pod address)', () => {
  it('pods that appear are read from their first interval; a pod that leaves DNS is read to its end, acknowledged, then dropped', async () => {
    const net = fakeNetwork();
    let nowMs = 0;
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((i) => new FakeSupervisor(i)) as [FakeSupervisor, FakeSupervisor, FakeSupervisor, FakeSupervisor];
    net.names.set('bench-workers.test', ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    net.behind.set(url(1), [a]);
    net.behind.set(url(2), [b]);
    net.behind.set(url(3), [c]);
    net.behind.set(url(4), [d]);
    const source = new E2ESource(['dns+http://bench-workers.test:9000'], 'q', { resolve: net.resolve, fetch: net.fetch, now: () => nowMs });
    const got: E2EInterval[] = [];
    const poll = async () => {
      nowMs += 1000;
      const r = await source.poll();
      got.push(...r.intervals);
      return r;
    };

    for (const s of [a, b, c]) s.close(3);
    expect((await poll()).problems).toEqual([]);
    expect(got).toHaveLength(9);

    // d appears (its intervals started before the runner saw it); b leaves DNS while still draining.
    d.close(4);
    b.close(1);
    net.names.set('bench-workers.test', ['10.0.0.1', '10.0.0.3', '10.0.0.4']);
    await poll();
    expect(got).toHaveLength(9 + 4 + 1);
    // Out of DNS but not final: still polled by address, and its later intervals are read.
    b.close(2);
    a.close(1);
    await poll();
    expect(got).toHaveLength(9 + 4 + 1 + 2 + 1);
    // b drained: its last intervals close, it is final. The next poll reads them, the one after
    // acknowledges (afterSeq = its last seq) and drops it.
    b.close(1);
    b.final = true;
    await poll();
    expect(b.readUpTo).toBeLessThan(b.intervals.length);
    await poll();
    expect(b.readUpTo).toBe(b.intervals.length);
    const fetchesOfB = b.fetches;
    b.reachable = false;
    for (let i = 0; i < 3; i++) expect((await poll()).problems).toEqual([]);
    expect(b.fetches).toBe(fetchesOfB);

    expectEachOnce(got, [a, b, c, d]);
    expect(source.finished).toBe(a.finished + b.finished + c.finished + d.finished);
    const report = Object.fromEntries(source.endpoints().map((e) => [e.url, e]));
    expect(Object.keys(report).sort()).toEqual([url(1), url(2), url(3), url(4)]);
    expect(report[url(2)]).toMatchObject({ source: 'dns+http://bench-workers.test:9000', gone: true, finished: b.finished, intervals: b.intervals.length, firstSeenS: 1, lastSeenS: 5 });
    expect(report[url(4)]).toMatchObject({ gone: false, finished: d.finished, firstSeenS: 2, lastSeenS: 8 });
    expect(report[url(1)]).toMatchObject({ gone: false, finished: a.finished });
  });

  it('a pod that leaves DNS and stops answering is dropped after one failed poll; if its address comes back it is read again', async () => {
    const net = fakeNetwork();
    const a = new FakeSupervisor('a');
    const b = new FakeSupervisor('b');
    net.names.set('w.test', ['10.0.0.1', '10.0.0.2']);
    net.behind.set(url(1), [a]);
    net.behind.set(url(2), [b]);
    const source = new E2ESource(['dns+http://w.test:9000'], 'q', { resolve: net.resolve, fetch: net.fetch });
    const got: E2EInterval[] = [];
    a.close(2);
    b.close(2);
    got.push(...(await source.poll()).intervals);
    // b crashes and leaves DNS: one last try by address, then no more.
    b.reachable = false;
    net.names.set('w.test', ['10.0.0.1']);
    const r = await source.poll();
    expect(r.problems).toEqual([expect.stringMatching(/10\.0\.0\.2.*ECONNREFUSED.*gone from DNS: dropped/)]);
    const fetches = b.fetches;
    expect((await source.poll()).problems).toEqual([]);
    expect(b.fetches).toBe(fetches);
    expect(source.endpoints().find((e) => e.url === url(2))).toMatchObject({ gone: true, finished: 4 });

    // The address is reused by a new pod (a new supervisor, seqs from 1): read from its first interval,
    // never with the old pod's cursor.
    const b2 = new FakeSupervisor('b2');
    b2.close(1);
    net.behind.set(url(2), [b2]);
    net.names.set('w.test', ['10.0.0.1', '10.0.0.2']);
    got.push(...(await source.poll()).intervals);
    b2.close(3);
    got.push(...(await source.poll()).intervals);
    expectEachOnce(got, [a, b2, { intervals: b.intervals.slice(0, 2) } as FakeSupervisor]);
    expect(source.endpoints().find((e) => e.url === url(2))).toMatchObject({ gone: false, finished: 4 + b2.finished });
  });

  it('a failed resolution is a problem and keeps polling the addresses it had; NXDOMAIN empties the list', async () => {
    const net = fakeNetwork();
    const a = new FakeSupervisor('a');
    net.names.set('w.test', ['10.0.0.1']);
    net.behind.set(url(1), [a]);
    const source = new E2ESource(['dns+http://w.test:9000'], 'q', { resolve: net.resolve, fetch: net.fetch });
    const got: E2EInterval[] = [];
    a.close(1);
    got.push(...(await source.poll()).intervals);
    net.setDnsDown(true);
    a.close(2);
    const r = await source.poll();
    got.push(...r.intervals);
    expect(r.problems).toEqual([expect.stringMatching(/^dns\+http:\/\/w\.test:9000: cannot resolve w\.test: queryA ETIMEOUT/)]);
    expect(source.endpoints()[0]).toMatchObject({ gone: false });
    net.setDnsDown(false);
    net.names.delete('w.test');
    a.final = true;
    const r2 = await source.poll();
    got.push(...r2.intervals);
    expect(r2.problems).toEqual([expect.stringMatching(/no addresses \(NXDOMAIN/)]);
    expectEachOnce(got, [a]);
    expect(source.endpoints()[0]).toMatchObject({ gone: true, finished: a.finished });
  });

  it('mixed sources: a plain URL and a dns+http:// name that lists the same address share one cursor', async () => {
    const net = fakeNetwork();
    const a = new FakeSupervisor('a');
    const b = new FakeSupervisor('b');
    net.names.set('w.test', ['10.0.0.1', '10.0.0.2']);
    net.behind.set(url(1), [a]);
    net.behind.set(url(2), [b]);
    const source = new E2ESource([url(1), 'dns+http://w.test:9000'], 'q', { resolve: net.resolve, fetch: net.fetch });
    const got: E2EInterval[] = [];
    for (let i = 0; i < 3; i++) {
      a.close(2);
      b.close(1);
      got.push(...(await source.poll()).intervals);
    }
    expectEachOnce(got, [a, b]);
    // The plain URL stays polled (and not gone) when DNS drops the address.
    net.names.set('w.test', ['10.0.0.2']);
    a.close(1);
    got.push(...(await source.poll()).intervals);
    expectEachOnce(got, [a, b]);
    expect(source.endpoints().map((e) => [e.url, e.source, e.gone])).toEqual([
      [url(1), url(1), false],
      [url(2), 'dns+http://w.test:9000', false],
    ]);
  });

  it('IPv6 addresses are polled in brackets', async () => {
    const net = fakeNetwork();
    const a = new FakeSupervisor('a');
    net.names.set('w.test', ['fd00::1']);
    net.behind.set('http://[fd00::1]:9000', [a]);
    a.close(2);
    const source = new E2ESource(['dns+http://w.test:9000'], 'q', { resolve: net.resolve, fetch: net.fetch });
    expect((await source.poll()).intervals).toHaveLength(2);
    expect(net.fetched).toEqual(['http://[fd00::1]:9000']);
  });

  it('workers without instance/final: a pod out of DNS is polled one last time, then dropped', async () => {
    const net = fakeNetwork();
    const a = new FakeSupervisor('a');
    a.modern = false;
    net.names.set('w.test', ['10.0.0.1']);
    net.behind.set(url(1), [a]);
    const source = new E2ESource(['dns+http://w.test:9000'], 'q', { resolve: net.resolve, fetch: net.fetch });
    const got: E2EInterval[] = [];
    a.close(2);
    got.push(...(await source.poll()).intervals);
    net.names.set('w.test', []);
    a.close(1);
    got.push(...(await source.poll()).intervals);
    const fetches = a.fetches;
    await source.poll();
    expect(a.fetches).toBe(fetches);
    expectEachOnce(got, [a]);
  });
});

describe('E2ESource cursors per supervisor instance (plain URLs)', () => {
  it('a restarted worker behind the same URL is read from its first interval', async () => {
    const net = fakeNetwork();
    const a = new FakeSupervisor('a');
    net.behind.set('http://w:9000', [a]);
    const source = new E2ESource(['http://w:9000'], 'q', { fetch: net.fetch });
    const got: E2EInterval[] = [];
    a.close(5);
    got.push(...(await source.poll()).intervals);
    const a2 = new FakeSupervisor('a2');
    a2.close(2);
    net.behind.set('http://w:9000', [a2]);
    got.push(...(await source.poll()).intervals);
    expectEachOnce(got, [a, a2]);
  });

  it('a load-balanced URL (answers from alternating supervisors) never counts an interval twice nor skips one', async () => {
    const net = fakeNetwork();
    const sups = ['a', 'b', 'c'].map((i) => new FakeSupervisor(i));
    net.behind.set('http://svc:9000', sups);
    const source = new E2ESource(['http://svc:9000'], 'q', { fetch: net.fetch });
    const got: E2EInterval[] = [];
    for (let i = 0; i < 30; i++) {
      sups[i % 3]!.close(1 + (i % 2));
      got.push(...(await source.poll()).intervals);
    }
    for (let i = 0; i < 10; i++) got.push(...(await source.poll()).intervals);
    expectEachOnce(got, sups);
  });

  it('polls run one at a time: two concurrent polls do not read the same intervals', async () => {
    const net = fakeNetwork();
    const a = new FakeSupervisor('a');
    net.behind.set('http://w:9000', [a]);
    const source = new E2ESource(['http://w:9000'], 'q', { fetch: net.fetch });
    a.close(3);
    const [r1, r2] = await Promise.all([source.poll(), source.poll()]);
    expectEachOnce([...r1.intervals, ...r2.intervals], [a]);
  });
});

describe('--worker-stats values', () => {
  it('parses http(s) URLs and dns+http://NAME:PORT; rejects the rest with a one-line reason', () => {
    expect(parseStatsSource('http://10.0.0.1:9000/')).toEqual({ kind: 'url', source: 'http://10.0.0.1:9000', url: 'http://10.0.0.1:9000' });
    expect(parseStatsSource('dns+http://bench-workers.ns.svc.cluster.local:9000')).toEqual({ kind: 'dns', source: 'dns+http://bench-workers.ns.svc.cluster.local:9000', name: 'bench-workers.ns.svc.cluster.local', port: 9000 });
    expect(parseStatsSource('dns+http://w.test')).toMatchObject({ port: 80 });
    for (const bad of ['ftp://x:1', 'dns+http://10.0.0.1:9000', 'dns+http://[::1]:9000', 'dns+http://w.test:9000/e2e', 'dns+http://bad_name!:9000', 'nonsense']) {
      expect(() => parseStatsSource(bad), bad).toThrow(/^[^\n]+$/);
    }
  });
});

describe('E2EStore read tracking (what --linger waits for)', () => {
  it('all read only after end(), once a reader asked with afterSeq at or past the last seq', async () => {
    let now = 10_000;
    const store = new E2EStore(['q'], () => now);
    store.addProcess('p');
    now += 3000;
    store.report('p', now, []);
    const progress = () => store.readProgress()[0]!;
    expect(progress().lastSeq).toBe(3);
    expect(store.snapshot('q', 3).intervals).toEqual([]);
    // Caught up, but the processes still run: more intervals will close.
    expect(store.allRead()).toBe(false);
    let read = false;
    void store.whenAllRead().then(() => (read = true));
    store.removeProcess('p');
    now += 500;
    store.end();
    const last = progress().lastSeq;
    expect(last).toBeGreaterThan(3);
    const s = store.snapshot('q', 0);
    expect(s.final).toBe(true);
    expect(s.instance).toBe(store.instance);
    await Promise.resolve();
    expect(read).toBe(false);
    store.snapshot('q', last);
    await Promise.resolve();
    expect(read).toBe(true);
    expect(progress()).toEqual({ taskQueue: 'q', lastSeq: last, readUpTo: last });
  });

  it('the whole-run totals histogram is left out for a reader that asks for counts only (the runner), kept for the rest', async () => {
    const { E2ERecorder } = await import('../../workers/e2e-recorder.js');
    const { decodeHistogram } = await import('../../metrics/histogram.js');
    let now = 20_000;
    const recorder = new E2ERecorder(() => now);
    const store = new E2EStore(['q'], () => now);
    store.addProcess('p');
    recorder.record({ workflowType: 'w', taskQueue: 'q', workflowId: 'a', startTimeMs: now - 40, status: 'completed', isChild: false });
    now += 1000;
    store.report('p', now, recorder.take(now));
    const full = store.snapshot('q', 0);
    const counts = store.snapshot('q', 0, false);
    expect(decodeHistogram(full.totals.histogram!).totalCount).toBe(1);
    expect(counts.totals.histogram).toBeUndefined();
    expect(counts.totals.completed).toBe(1);
    expect(counts.intervals).toEqual(full.intervals);
  });
});

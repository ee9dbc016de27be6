import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcStat, type ProcStat } from '../../metrics/process-tree.js';
import { busyCores, readHostCpu, readHostMemory, readLoad1 } from '../../runner/host-stats.js';
import { classifyProcesses, parsePostgresTitle } from '../../runner/resource-components.js';
import { ResourceSampler } from '../../runner/resources.js';
import type { StackState } from '../../stack/state.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Waits (polling /proc, no fixed sleep) until `pid` has used `seconds` of CPU. */
async function cpuUsed(pid: number, seconds: number): Promise<void> {
  const start = readProcStat(pid)!.cpuSeconds;
  const deadline = Date.now() + 20_000;
  while (readProcStat(pid)!.cpuSeconds - start < seconds) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} did not use ${seconds} s of CPU`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stackWith(processes: StackState['processes'], postgres?: StackState['postgres']): StackState {
  return {
    schemaVersion: 1,
    dir: '/tmp/x',
    startedAt: '',
    serverVersion: '1.24.2',
    persistence: postgres ? 'postgres' : 'sqlite',
    postgres,
    historyShards: 4,
    topology: 'split',
    replicas: 1,
    frontendAddress: '127.0.0.1:7233',
    metricsUrls: [],
    namespaces: [],
    processes,
    ready: true,
  };
}

const proc = (pid: number, ppid: number, comm: string, cpuSeconds = 1): ProcStat => ({ pid, ppid, state: 'S', comm, startTicks: pid, cpuSeconds, reapedChildrenCpuSeconds: 0, rssMb: 10 });

describe('host readers', () => {
  it('read /proc/stat, /proc/loadavg and /proc/meminfo', () => {
    const a = readHostCpu()!;
    expect(a.cores).toBe(os.availableParallelism());
    expect(a.total).toBeGreaterThan(a.busy);
    expect(busyCores(a, { busy: a.busy + 150, total: a.total + 200, cores: 2 })).toBe(1.5);
    expect(readLoad1('3.25 2.10 1.00 2/300 999')).toBe(3.25);
    expect(readHostMemory('MemTotal:  8000000 kB\nMemFree: 1 kB\nMemAvailable:  2048000 kB\n')).toEqual({ totalMb: 7812.5, availableMb: 2000 });
  });
});

describe('classifying processes into components', () => {
  it('parses PostgreSQL process titles, with and without a cluster name', () => {
    expect(parsePostgresTitle('postgres: 15/main: postgres tb_0_shared 127.0.0.1(35070) idle')).toEqual({ role: 'backend', user: 'postgres', database: 'tb_0_shared' });
    expect(parsePostgresTitle('postgres: temporal temporal_visibility [local] SELECT')).toEqual({ role: 'backend', user: 'temporal', database: 'temporal_visibility' });
    expect(parsePostgresTitle('postgres: 15/main: checkpointer ')).toEqual({ role: 'background' });
    expect(parsePostgresTitle('/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main')).toBeUndefined();
  });

  it("stack pids first, our databases' backends and their server, then the coordinator and its worker and generator children", () => {
    const all = [
      proc(10, 1, 'temporal-server'),
      proc(11, 1, 'prometheus'),
      proc(20, 1, 'postgres'),
      proc(21, 20, 'postgres'),
      proc(22, 20, 'postgres'),
      proc(23, 20, 'postgres'),
      proc(24, 20, 'postgres'),
      proc(30, 1, 'node'),
      proc(31, 30, 'node'),
      proc(32, 30, 'node'),
      proc(33, 30, 'esbuild'),
      proc(34, 31, 'sh'),
      proc(99, 1, 'temporal-server'),
    ];
    const cmd: Record<number, string> = {
      20: '/usr/lib/postgresql/15/bin/postgres -D /x',
      21: 'postgres: 15/main: postgres tb_a 127.0.0.1(1) idle',
      22: 'postgres: 15/main: postgres tb_a_visibility 127.0.0.1(2) idle',
      23: 'postgres: 15/main: postgres tb_other 127.0.0.1(3) idle',
      24: 'postgres: 15/main: walwriter ',
      31: '/usr/bin/node /pkg/dist/workers/child.js',
      32: '/usr/bin/node --import tsx /pkg/generator/generator-child.ts',
      33: '/pkg/node_modules/esbuild --service',
    };
    const stack = stackWith(
      [
        { id: 'history-0', kind: 'temporal', pid: 10, executable: '/bin/temporal-server', logFile: '', services: ['history'] },
        { id: 'prometheus', kind: 'prometheus', pid: 11, executable: '/usr/bin/prometheus', logFile: '' },
        // A pid reused by another program is not the stack's process any more.
        { id: 'matching-0', kind: 'temporal', pid: 30, executable: '/bin/temporal-server', logFile: '', services: ['matching'] },
      ],
      { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'tb_a', visibilityDatabase: 'tb_a_visibility' },
    );
    const groups = classifyProcesses(all, { stack, coordinatorPid: 30, cmdline: (p) => cmd[p.pid] ?? '', harnessId: (kind) => (kind === 'worker' ? 'bench-worker-0' : 'generator-0') });
    const pids = Object.fromEntries(groups.map((g) => [g.id, g.procs.map((p) => p.pid).sort()]));
    expect(pids).toEqual({
      'history-0': [10],
      prometheus: [11],
      postgres: [21, 22],
      'postgres-background': [20, 24],
      coordinator: [30, 33],
      'bench-worker-0': [31, 34],
      'generator-0': [32],
    });
  });
});

describe('ResourceSampler on this host', () => {
  it('measures a CPU-bound stack process near one core, its RSS, and names the coordinator and a generator child', async () => {
    const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    children.push(busy);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-res-'));
    fs.mkdirSync(path.join(dir, 'generator'));
    fs.writeFileSync(path.join(dir, 'generator', 'generator-child.js'), 'setInterval(() => {}, 1000);');
    const gen = fork(path.join(dir, 'generator', 'generator-child.js'), [], { stdio: 'ignore' });
    children.push(gen);
    await cpuUsed(busy.pid!, 0.05);
    const stack = stackWith([{ id: 'history-0', kind: 'temporal', pid: busy.pid!, executable: process.execPath, logFile: '', services: ['history'] }]);
    const t0 = Date.now();
    const sampler = new ResourceSampler({ t0Epoch: t0, stack });
    const before = readProcStat(busy.pid!)!.cpuSeconds;
    sampler.sample(); // baseline
    await cpuUsed(busy.pid!, 0.6);
    sampler.sample();
    // What the process itself used per wall second over the same interval (the host may be shared).
    const expected = (readProcStat(busy.pid!)!.cpuSeconds - before) / ((Date.now() - t0) / 1000);
    const usage = sampler.usage()!;
    expect(usage.t).toHaveLength(1);
    expect(usage.t[0]).toBeGreaterThan(0.5);
    const byId = Object.fromEntries(usage.components.map((c) => [c.id, c]));
    const history = byId['history-0']!;
    expect(history.pids).toEqual([busy.pid]);
    // Cores = CPU-seconds per second: a busy loop's own rate (one core at most, less on a shared host).
    expect(history.cpuCores[0]).toBeGreaterThan(0.05);
    expect(history.cpuCores[0]).toBeLessThanOrEqual(1.1);
    expect(Math.abs(history.cpuCores[0]! - expected)).toBeLessThan(0.15);
    expect(history.rssMb[0]).toBeGreaterThan(5);
    expect(usage.host.busyCores[0]).toBeGreaterThanOrEqual(history.cpuCores[0]! * 0.8);
    expect(usage.host.cores).toBe(os.availableParallelism());
    expect(byId['generator-0']!.pids).toEqual([gen.pid]);
    expect(byId.coordinator!.pids).toContain(process.pid);
    expect(byId.coordinator!.pids).not.toContain(busy.pid);
    expect(usage.missing).toEqual([]);
  });

  it('says what it cannot sample: no local stack, external workers', () => {
    const sampler = new ResourceSampler({ t0Epoch: Date.now(), externalWorkers: true });
    expect(sampler.usage()!.missing).toEqual([expect.stringMatching(/^no local stack serves this address/), expect.stringMatching(/^workers: external/)]);
  });
});

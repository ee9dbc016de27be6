import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProcReader, readProcStat } from '../../metrics/process-tree.js';

/** The descriptors this process has open on /proc/<pid>/stat files. */
function openStatFds(): string[] {
  return fs
    .readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => /^\/proc\/\d+\/stat$/.test(target));
}

describe('ProcReader (descriptors kept open across samples)', () => {
  it('reads what a fresh read of /proc/<pid>/stat reads, again and again through one descriptor', () => {
    const reader = new ProcReader();
    const fresh = readProcStat(process.pid)!;
    const first = reader.read(process.pid)!;
    expect(first).toMatchObject({ pid: process.pid, ppid: fresh.ppid, comm: fresh.comm, startTicks: fresh.startTicks });
    const before = openStatFds().length;
    // Burn some CPU: the same descriptor shows the new total (procfs regenerates the file on each read at offset 0).
    const until = Date.now() + 60;
    while (Date.now() < until);
    const again = reader.read(process.pid)!;
    expect(openStatFds().length).toBe(before);
    expect(again.cpuSeconds).toBeGreaterThanOrEqual(first.cpuSeconds);
    reader.close();
    expect(openStatFds().filter((t) => t === `/proc/${process.pid}/stat`)).toEqual([]);
  });

  it('lists every process /proc lists, leaves the skipped ones unread and closes the descriptor of one that exited', async () => {
    const reader = new ProcReader();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const pids = (list: { pid: number }[]) => new Set(list.map((p) => p.pid));
    // The yardstick is /proc's own listing (allProcesses is a ProcReader too).
    const listed = () =>
      new Set(
        fs
          .readdirSync('/proc')
          .filter((e) => /^\d+$/.test(e))
          .map(Number),
      );
    const before = listed();
    const mine = pids(reader.all());
    const after = listed();
    expect(mine.has(child.pid!)).toBe(true);
    // Every process alive before and after the scan is in it (others may start or exit meanwhile).
    expect([...before].filter((pid) => after.has(pid) && !mine.has(pid))).toEqual([]);
    expect(pids(reader.all((pid) => pid === child.pid)).has(child.pid!)).toBe(false);
    expect(openStatFds()).toContain(`/proc/${child.pid}/stat`);
    child.kill('SIGKILL');
    await exited; // reaped by Node: the pid is gone from /proc
    expect(reader.read(child.pid!)).toBeUndefined();
    expect(openStatFds()).not.toContain(`/proc/${child.pid}/stat`);
    reader.close();
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FaultRecord } from '../recorder/result-schema.js';
import { LocalProcess } from './local-process.js';
import { targetId, type FaultSpec } from './spec.js';

type Log = (line: string) => void;

const nowEpoch = () => performance.timeOrigin + performance.now();

/**
 * Carries out a run's faults at their times from t0 and records what happened. Everything it breaks
 * it also mends: a pending restart (or resume) runs at once when the run ends early, so a run never
 * leaves the stack with a dead or frozen process. Each step is logged to `<out>/faults.log`.
 */
export class FaultInjector {
  private readonly records: FaultRecord[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<Promise<void>>();
  /** Restarts (or resumes) still owed, by fault index: run at their time, or at finish(). */
  private readonly mends = new Map<number, () => Promise<void>>();
  private readonly logFile: string;

  constructor(
    private readonly faults: FaultSpec[],
    private readonly stackDir: string | undefined,
    private readonly t0Epoch: number,
    outDir: string,
    private readonly log: Log,
  ) {
    this.logFile = path.join(outDir, 'faults.log');
    this.records = faults.map((f) => ({
      spec: f.text,
      action: f.action,
      target: f.target ? targetId(f.target) : 'exec',
      atS: f.atS,
      firedAtS: null,
      restartedAtS: null,
      ...(f.cmd ? { cmd: f.cmd } : {}),
      ok: false,
      outcome: 'not fired: the run ended first',
    }));
  }

  list(): FaultRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  start(): void {
    this.faults.forEach((f, i) => this.at(f.atS, () => this.fire(i)));
  }

  /** Cancels what has not fired, mends what is still broken, waits for running commands. */
  async finish(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.pending);
    for (const [i, mend] of [...this.mends]) {
      this.mends.delete(i);
      await mend();
    }
  }

  private at(s: number, action: () => Promise<void>): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const p = action().finally(() => this.pending.delete(p));
        this.pending.add(p);
      },
      Math.max(0, this.t0Epoch + s * 1000 - nowEpoch()),
    );
    this.timers.add(timer);
  }

  private sinceT0 = () => Math.round((nowEpoch() - this.t0Epoch) / 100) / 10;

  private note(line: string): void {
    this.log(`fault: ${line}`);
    fs.appendFileSync(this.logFile, `${new Date().toISOString()} t=${this.sinceT0()}s ${line}\n`);
  }

  private async fire(i: number): Promise<void> {
    const f = this.faults[i]!;
    const r = this.records[i]!;
    r.firedAtS = this.sinceT0();
    try {
      if (f.action === 'exec') return await this.exec(f.cmd!, r);
      const proc = new LocalProcess(this.stackDir!, targetId(f.target!));
      if (f.action === 'kill' || f.action === 'stop') r.outcome = await proc.signalAndWait(f.action === 'kill' ? 'SIGKILL' : 'SIGTERM');
      else r.outcome = proc.pauseOrResume(f.action === 'pause' ? 'SIGSTOP' : 'SIGCONT');
      r.ok = true;
      this.note(`${r.spec}: ${r.outcome}`);
      if (f.restartAfterS === undefined) return;
      const mend = async () => {
        if (!this.mends.delete(i)) return;
        try {
          const what = f.action === 'pause' ? proc.pauseOrResume('SIGCONT') : `restarted as pid ${proc.restart()}`;
          r.restartedAtS = this.sinceT0();
          r.outcome += `; ${what} at t=${r.restartedAtS} s`;
        } catch (err) {
          r.ok = false;
          r.outcome += `; restart failed: ${(err as Error).message}`;
        }
        this.note(`${r.spec}: ${r.outcome}`);
      };
      this.mends.set(i, mend);
      this.at(r.firedAtS + f.restartAfterS, mend);
    } catch (err) {
      r.outcome = `failed: ${(err as Error).message}`;
      this.note(`${r.spec}: ${r.outcome}`);
    }
  }

  /** Runs a command through the shell; its output goes to faults.log, its status to the record. */
  private exec(cmd: string, r: FaultRecord): Promise<void> {
    this.note(`${r.spec}: running`);
    const out = fs.openSync(this.logFile, 'a');
    return new Promise<void>((resolve) => {
      const child = spawn('/bin/sh', ['-c', cmd], { stdio: ['ignore', out, out] });
      let settled = false;
      const done = (code: number | null, error?: Error) => {
        if (settled) return; // 'error' and 'exit' can both come
        settled = true;
        fs.closeSync(out);
        r.endedAtS = this.sinceT0();
        r.exitCode = code;
        r.ok = code === 0;
        r.outcome = error ? `could not run: ${error.message}` : `exited ${code ?? 'by a signal'} after ${Math.round((r.endedAtS - r.firedAtS!) * 10) / 10} s`;
        this.note(`${r.spec}: ${r.outcome}`);
        resolve();
      };
      child.on('error', (err) => done(null, err));
      child.on('exit', (code) => done(code));
    });
  }
}

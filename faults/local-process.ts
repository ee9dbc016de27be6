import { isOurProcess, spawnDetached, waitForExit } from '../stack/processes.js';
import { readState, writeState, type StackProcess } from '../stack/state.js';

/**
 * Signals to one process of a local stack, found by id in the stack's state.json (pids change when a
 * fault restarts a process, so the state is read again every time), and its restart exactly as
 * `bench stack up` started it. The state is rewritten with the new pid so `stack down` still finds it.
 */
export class LocalProcess {
  constructor(
    private readonly stackDir: string,
    readonly id: string,
  ) {}

  private current(): StackProcess {
    const proc = readState(this.stackDir)?.processes.find((p) => p.id === this.id);
    if (!proc) throw new Error(`the stack at ${this.stackDir} has no process ${this.id}`);
    return proc;
  }

  /** SIGKILL or SIGTERM; resolves once it has exited (SIGTERM: up to 20 s, the server's own shutdown). */
  async signalAndWait(signal: 'SIGKILL' | 'SIGTERM'): Promise<string> {
    const proc = this.current();
    if (!isOurProcess(proc.pid, proc.executable)) throw new Error(`${this.id} (pid ${proc.pid}) is not running`);
    process.kill(proc.pid, signal);
    const exited = await waitForExit(proc.pid, signal === 'SIGKILL' ? 5_000 : 20_000);
    return `${signal} to ${this.id} (pid ${proc.pid})${exited ? '' : `; still running after ${signal === 'SIGKILL' ? 5 : 20} s`}`;
  }

  /** SIGSTOP (a hung process: connections stay open, nothing answers) or SIGCONT. */
  pauseOrResume(signal: 'SIGSTOP' | 'SIGCONT'): string {
    const proc = this.current();
    if (!isOurProcess(proc.pid, proc.executable)) throw new Error(`${this.id} (pid ${proc.pid}) is not running`);
    process.kill(proc.pid, signal);
    return `${signal} to ${this.id} (pid ${proc.pid})`;
  }

  /** Starts it again with its original command line; returns the new pid. */
  restart(): number {
    const state = readState(this.stackDir);
    const proc = state?.processes.find((p) => p.id === this.id);
    if (!state || !proc) throw new Error(`the stack at ${this.stackDir} has no process ${this.id}`);
    if (!proc.args || !proc.cwd) throw new Error(`${this.id} was started by an older bench stack up that did not record its command line; restart the stack`);
    if (isOurProcess(proc.pid, proc.executable)) return proc.pid;
    proc.pid = spawnDetached(proc.executable, proc.args, proc.logFile, proc.cwd);
    writeState(state);
    return proc.pid;
  }
}

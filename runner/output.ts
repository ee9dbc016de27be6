import type { ResultFile } from '../recorder/result-schema.js';
import type { ServerMetricsSource } from './server-metrics-source.js';

type Log = (line: string) => void;

/** What a finished run hands its outputs: the final result, and where it was written. */
export interface FinishedRun {
  outDir: string;
  result: ResultFile;
  /** Stops collecting server metrics (a direct scrape) and says where the report finds them. */
  serverMetrics: () => Promise<ServerMetricsSource>;
}

/**
 * Something a run produces, k6's Output (Start / AddMetricSamples / Stop): result.json, the .hlog,
 * the live view, /metrics, the summary, and after the run the drift, report, annotations and gate.
 * Every hook is optional; the run calls them in list order (close in reverse).
 */
export interface RunOutput {
  /** Names it in log lines ("report: ..." when it fails). */
  readonly name: string;
  /** Before the first start: t0 is known, the timeline is empty. */
  start?(): void | Promise<void>;
  /** Once a second while the load and the drain go on: the timeline has the newest intervals. */
  tick?(): void;
  /** The load and the drain are over (reconciliation follows). */
  stop?(): void;
  /** The run's final result; a non-zero return is an exit code (the gate's 99). */
  // biome-ignore lint/suspicious/noConfusingVoidType: outputs with no exit code implement it as `async finish(): Promise<void>`
  finish?(run: FinishedRun): void | number | Promise<void | number>;
  /** Always, last, also after a failure (or when start never ran). */
  close?(): void | Promise<void>;
}

/** A run's outputs in their order: result.json is written before the summary prints and the report reads it. */
export class RunOutputs {
  private ticking = false;

  constructor(
    private readonly list: RunOutput[],
    private readonly log: Log,
  ) {}

  async start(): Promise<void> {
    for (const o of this.list) await o.start?.();
    this.ticking = true;
  }

  tick(): void {
    if (this.ticking) for (const o of this.list) o.tick?.();
  }

  stop(): void {
    this.ticking = false;
    for (const o of this.list) o.stop?.();
  }

  /**
   * Runs every output's finish in order and returns the exit code: the run's own verdict (98 invalid,
   * 99 thresholds failed) outranks an output's (the gate's 99), and an earlier output's a later one's.
   */
  async finish(run: FinishedRun, verdict: number): Promise<number> {
    let code = verdict;
    for (const o of this.list) {
      const own = await o.finish?.(run);
      if (code === 0 && own) code = own;
    }
    return code;
  }

  /** Every output's close, newest first; one failing does not keep the others open. */
  async close(): Promise<void> {
    for (const o of [...this.list].reverse()) {
      await Promise.resolve()
        .then(() => o.close?.())
        .catch((err: Error) => this.log(`cleanup: ${err.message}`));
    }
  }
}

/** An output whose failure is one log line (`name: first line of the error`): the run's result and exit code stand. */
export function bestEffort(output: RunOutput, log: Log): RunOutput {
  return {
    name: output.name,
    start: output.start?.bind(output),
    tick: output.tick?.bind(output),
    stop: output.stop?.bind(output),
    close: output.close?.bind(output),
    finish: async (run) => {
      try {
        return await output.finish?.(run);
      } catch (err) {
        log(`${output.name}: ${(err as Error).message.split('\n')[0]}`);
      }
    },
  };
}

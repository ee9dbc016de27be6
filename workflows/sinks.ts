import type { Sinks } from '@temporalio/workflow';

/** What a worker learns when one of its workflows finishes (sent through a sink, never replayed). */
export interface CompletionEvent {
  workflowType: string;
  taskQueue: string;
  workflowId: string;
  /** Server time the workflow execution chain started (survives continue-as-new), epoch ms. */
  startTimeMs: number;
  /** The runner's intended start time (epoch ms, from the memo): the interval the latency counts in. */
  intendedMs?: number;
  status: 'completed' | 'failed' | 'canceled';
  /** Children are counted apart: end-to-end latency is measured for the workflows a runner started. */
  isChild: boolean;
}

/** The memo key carrying a workflow's intended start time (set by the runner's start client). */
export const intendedMemoKey = 'benchIntendedMs';

export interface BenchSinks extends Sinks {
  bench: {
    finished(event: CompletionEvent): void;
  };
}

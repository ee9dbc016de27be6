import type { ConnectionConfig } from '../core/connection.js';
import type { GeneratorConfig } from './generator.js';
import type { IntervalSnapshot } from './interval-recorder.js';
import type { ClientKind } from './start-client.js';
import type { CoreLogGroup } from '../workers/core-log-summary.js';

/** IPC between `bench run` (the coordinator) and its generator processes (structured clone: samples travel as typed arrays). */
export type ToChild =
  /** coreLogFile: where the native client's core log entries go in full (default: a temp file). */
  | { type: 'connect'; connection: ConnectionConfig & { address: string }; taskQueue: string; clientKind: ClientKind; coreLogFile?: string }
  | { type: 'start'; config: GeneratorConfig }
  | { type: 'stop' }
  | { type: 'finish'; drainTimeoutMs: number }
  | { type: 'abandon' };

export type FromChild =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'snapshots'; snapshots: IntervalSnapshot[] }
  /** SDK core log entries since the last such message, counted (native client only). */
  | { type: 'coreLog'; groups: CoreLogGroup[] }
  | { type: 'loadFinished' }
  | { type: 'finished'; drained: boolean; cpuSeconds: number };

import type { ConnectionConfig } from '../cli/connection.js';
import type { GeneratorConfig } from './generator.js';
import type { IntervalSnapshot } from './interval-recorder.js';
import type { ClientKind } from './start-client.js';

/** IPC between `bench run` (the coordinator) and its generator processes (structured clone: samples travel as typed arrays). */
export type ToChild =
  | { type: 'connect'; connection: ConnectionConfig & { address: string }; taskQueue: string; clientKind: ClientKind }
  | { type: 'start'; config: GeneratorConfig }
  | { type: 'stop' }
  | { type: 'finish'; drainTimeoutMs: number }
  | { type: 'abandon' };

export type FromChild =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'snapshots'; snapshots: IntervalSnapshot[] }
  | { type: 'loadFinished' }
  | { type: 'finished'; drained: boolean; cpuSeconds: number };

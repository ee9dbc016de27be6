import fs from 'node:fs';
import path from 'node:path';
import type { Persistence, Topology } from './options.js';
import type { TlsMode } from './tls.js';

/** A TLS stack's certificates, which clients of the stack pick up (bench run --address of it). */
export interface StackTlsState {
  mode: TlsMode;
  internode: boolean;
  caFile: string;
  /** The client pair (signed by the CA): required by an mtls stack, accepted by a server-TLS one. */
  certFile: string;
  keyFile: string;
  serverName: string;
}

export interface StackProcess {
  id: string;
  kind: 'temporal' | 'prometheus';
  pid: number;
  executable: string;
  logFile: string;
  services?: string[];
  /** How it was started (so a fault's restart-after starts it the same way). */
  args?: string[];
  cwd?: string;
}

/** What `bench stack status --json` prints and what later commands read to find the stack. */
export interface StackState {
  schemaVersion: 1;
  dir: string;
  startedAt: string;
  serverVersion: string;
  persistence: Persistence;
  postgres?: { host: string; port: number; user: string; database: string; visibilityDatabase: string };
  historyShards: number;
  topology: Topology;
  replicas: number;
  frontendAddress: string;
  metricsUrls: string[];
  prometheusUrl?: string;
  targetsDir?: string;
  namespaces: string[];
  tls?: StackTlsState;
  processes: StackProcess[];
  ready: boolean;
}

export function stateFile(dir: string): string {
  return path.join(dir, 'state.json');
}

export function readState(dir: string): StackState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(dir), 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

/** Written after every process start, so `stack down` can always find what `up` started. */
export function writeState(state: StackState): void {
  fs.mkdirSync(state.dir, { recursive: true });
  const tmp = `${stateFile(state.dir)}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, stateFile(state.dir));
}

export function removeState(dir: string): void {
  fs.rmSync(stateFile(dir), { force: true });
}

import { Context } from '@temporalio/activity';
import { deterministicBytes } from '../workflows/bytes.js';

export async function noop(): Promise<void> {}

export interface SleepInput {
  ms: number;
}

/** Waits without using CPU; honours cancellation so a cancelled workflow frees the slot. */
export async function sleep({ ms }: SleepInput): Promise<void> {
  await Context.current().sleep(ms);
}

export interface EchoInput {
  /** Size of the returned payload. */
  bytes: number;
  seed?: number;
}

/**
 * Returns exactly `bytes` bytes. A Uint8Array at the top level goes through the binary payload
 * converter, so the payload in history is the raw size (JSON would inflate it ~4x).
 * `data` is whatever the caller sent (the inbound half of a payload round trip); it is ignored.
 */
export async function echo({ bytes, seed }: EchoInput, _data?: Uint8Array): Promise<Uint8Array> {
  return deterministicBytes(bytes, seed ?? bytes);
}

export interface CpuBurnInput {
  ms: number;
}

/** Keeps one core busy for `ms` (activity-side CPU pressure, e.g. to fill activity slots). */
export async function cpuBurn({ ms }: CpuBurnInput): Promise<number> {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  return spins;
}

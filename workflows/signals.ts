import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import { names } from './types.js';

export interface SignalsInput {
  count: number;
  signalName?: string;
}

/**
 * Waits for K signals and returns their values in arrival order. The handler is set before the
 * first await, so a signal-with-start's signal is counted.
 */
export async function signalsWorkflow({ count, signalName = names.signal }: SignalsInput): Promise<unknown[]> {
  const received: unknown[] = [];
  setHandler(defineSignal<[unknown]>(signalName), (value) => void received.push(value));
  await condition(() => received.length >= count);
  return received;
}

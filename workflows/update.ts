import { allHandlersFinished, condition, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';
import { names } from './types.js';

export interface UpdateInput {
  /** Finish after this many updates (0 = only on the finish signal). */
  maxUpdates?: number;
}

export const addSignal = defineSignal<[unknown]>(names.add);
export const finishSignal = defineSignal(names.finish);
/** Records its argument and returns how many values have been received. */
export const addUpdate = defineUpdate<number, [unknown]>(names.update);
export const receivedQuery = defineQuery<unknown[]>(names.received);

/** Accepts values by update and signal, answers queries with them, ends on 'finish' or after K updates. */
export async function updateWorkflow({ maxUpdates = 0 }: UpdateInput = {}): Promise<unknown[]> {
  const received: unknown[] = [];
  let updates = 0;
  let finished = false;
  setHandler(addSignal, (value) => void received.push(value));
  setHandler(finishSignal, () => void (finished = true));
  setHandler(receivedQuery, () => received);
  setHandler(
    addUpdate,
    (value) => {
      updates++;
      return received.push(value);
    },
    // Late updates are rejected (never written to history) rather than lost when the workflow ends.
    {
      validator: (_value: unknown) => {
        if (finished) throw new Error('workflow is finishing');
      },
    },
  );
  await condition(() => finished || (maxUpdates > 0 && updates >= maxUpdates));
  await condition(allHandlersFinished);
  return received;
}

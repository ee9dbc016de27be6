// Default import: @temporalio/proto is CommonJS, and plain Node ESM (tsx scripts) sees no named exports.
import path from 'node:path';
import protos, { type temporal } from '@temporalio/proto';
import { repoRoot } from './test-stack.js';

const { History } = protos.temporal.api.history.v1;

/**
 * History <-> JSON for the replay fixtures, through the generated codec of @temporalio/proto.
 * Not the SDK's historyToJSON/historyFromJSON: in this install @temporalio/common and
 * @temporalio/proto each carry their own protobufjs@8, and those helpers fail across the two copies
 * ("type must be a Type"). Enums are names, 64-bit ints strings, bytes base64; durations and
 * timestamps stay {seconds, nanos} objects.
 */
export function historyToFixture(history: temporal.api.history.v1.IHistory): string {
  const object = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  return `${JSON.stringify(object, null, 1)}\n`;
}

/** A History message (64-bit ints as Long), which Worker.runReplayHistories takes as is. */
export function historyFromFixture(json: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(json));
}

export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'histories');

export const fixtureFile = (kind: string): string => path.join(fixturesDir, `${kind}.json`);

/**
 * The workflow id a kind is recorded under. Replay must use the same id: workflows derive child ids
 * from it, and a different one is (rightly) a determinism error.
 */
export const recordedWorkflowId = (kind: string): string => `record-${kind}`;

// The baseline worker of `npm run bench:overhead`: the samples-typescript shape and nothing else.
// NativeConnection, one Worker with the bench workflows and activities, SDK defaults; no interceptors,
// no sinks, no metrics, no core-log forwarding. What `bench worker` costs above this is the harness.
// Plain JavaScript on the compiled build (npm run build), like a user's compiled worker: no loader,
// no source maps (tsx turns them on, and they make every stack trace the SDK takes dearer).
//
//   node bench/overhead/bare-worker.mjs --address HOST:PORT --task-queue TQ [--namespace bench]
//
// Prints `ready` once it polls; stops on SIGTERM/SIGINT.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { activities } from '../../dist/activities/index.js';
import { flag } from './args.mjs';

const workflowsPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/workflows/index.js');
const quiet = () => {};

const connection = await NativeConnection.connect({ address: flag('address') });
// Bundled before the worker starts, so webpack's CPU is not in the load window (bench worker uses its prebuilt bundle).
const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, log: quiet, error: console.error } });
const worker = await Worker.create({ connection, namespace: flag('namespace', 'bench'), taskQueue: flag('task-queue'), workflowBundle, activities });
const running = worker.run();
for (;;) {
  const s = worker.getStatus();
  if (s.hasOutstandingWorkflowPoll && s.hasOutstandingActivityPoll) break;
  await new Promise((r) => setTimeout(r, 20));
}
console.log('ready');
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => worker.shutdown());
await running;
await connection.close();

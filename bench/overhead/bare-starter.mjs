// The baseline starter of `npm run bench:overhead`: a fixed-rate loop of `client.workflow.start` with
// SDK defaults; no histograms, no timeline, no memo, no metrics. What `bench run` costs above it is the harness.
//
//   node bench/overhead/bare-starter.mjs --address HOST:PORT --task-queue TQ --kind activity
//     --rps 20 --duration 60 --t0 EPOCH_MS [--client connection|native] [--id-prefix P]
//
// Start n is sent at t0 + n/rps (open model: not awaited). Prints one JSON line when every start has
// answered, then idles until SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { catalogResolver } from '../../dist/schedule/workload.js';
import { flag } from './args.mjs';

const address = flag('address');
const rps = Number(flag('rps'));
const total = Math.round(rps * Number(flag('duration')));
const t0 = Number(flag('t0'));
const prefix = flag('id-prefix', `bare-${process.pid}`);
const { workflowType, args } = catalogResolver(flag('kind'), undefined);

const connection = flag('client', 'connection') === 'native' ? await NativeConnection.connect({ address }) : await Connection.connect({ address });
const client = new Client({ connection, namespace: flag('namespace', 'bench') });
const options = { taskQueue: flag('task-queue'), args, workflowExecutionTimeout: '10m' };

let errors = 0;
let firstError;
const inFlight = [];
const periodMs = 1000 / rps;
let n = 0;
await new Promise((done) => {
  const tick = () => {
    for (; n < total && t0 + n * periodMs <= Date.now(); n++) {
      inFlight.push(
        client.workflow.start(workflowType, { ...options, workflowId: `${prefix}-${n}` }).then(
          () => undefined,
          (err) => {
            errors++;
            firstError ??= err.message;
          },
        ),
      );
    }
    if (n >= total) return done();
    setTimeout(tick, Math.max(0, t0 + n * periodMs - Date.now()));
  };
  setTimeout(tick, Math.max(0, t0 - Date.now()));
});
await Promise.all(inFlight);
console.log(JSON.stringify({ starts: total, errors, firstError }));
await connection.close();
// Stays (idle) until the benchmark has taken its last CPU sample, so its whole load is in the window.
await new Promise((resolve) => process.once('SIGTERM', resolve));

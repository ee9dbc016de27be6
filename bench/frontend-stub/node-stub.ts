import * as grpc from '@grpc/grpc-js';
import { stubReplies } from './replies.js';

/**
 * The Node fallback of the do-nothing frontend, for a host without Go: the same replies as the Go
 * stub (main.go), which the benchmark prefers because this one takes most of a core at 2,000/s.
 * Prints its address, serves until stdin closes (`node --import tsx node-stub.ts`).
 */
const servicePath = '/temporal.api.workflowservice.v1.WorkflowService';
const passThrough = (b: Buffer) => b;
const replies = Object.entries(stubReplies());
const definition: grpc.ServiceDefinition = Object.fromEntries(
  replies.map(([method, reply]) => [
    method,
    {
      path: `${servicePath}/${method}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: passThrough,
      requestDeserialize: passThrough,
      responseSerialize: () => reply,
      responseDeserialize: passThrough,
    },
  ]),
);
const implementation: grpc.UntypedServiceImplementation = Object.fromEntries(replies.map(([method, reply]) => [method, (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, reply)]));
const server = new grpc.Server();
server.addService(definition, implementation);
const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
process.stdout.write(`127.0.0.1:${port}\n`);
process.stdin.resume();
process.stdin.on('end', () => server.tryShutdown(() => process.exit(0)));

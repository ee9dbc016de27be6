import * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import proto from '@temporalio/proto';

const { temporal } = proto;

/**
 * A do-nothing Temporal frontend: answers StartWorkflowExecution at once (without decoding the
 * request) and GetSystemInfo for the client's connect, so the generator is the only thing measured.
 */
const ws = temporal.api.workflowservice.v1;
const servicePath = '/temporal.api.workflowservice.v1.WorkflowService';
const startResponse = Buffer.from(ws.StartWorkflowExecutionResponse.encode({ runId: '00000000-0000-0000-0000-000000000000', started: true }).finish());
const systemInfo = Buffer.from(ws.GetSystemInfoResponse.encode({ serverVersion: 'stub', capabilities: {} }).finish());

const raw = (method: string, response: Buffer): grpc.MethodDefinition<Buffer, Buffer> => ({
  path: `${servicePath}/${method}`,
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: () => response,
  responseDeserialize: (b: Buffer) => b,
});

export interface FrontendStub {
  address: string;
  starts: () => number;
  close: () => Promise<void>;
}

export async function startFrontendStub(): Promise<FrontendStub> {
  let starts = 0;
  const server = new grpc.Server();
  const definition = { StartWorkflowExecution: raw('StartWorkflowExecution', startResponse), GetSystemInfo: raw('GetSystemInfo', systemInfo) };
  const reply = (callback: grpc.sendUnaryData<Buffer>) => callback(null, Buffer.alloc(0));
  server.addService(definition, {
    StartWorkflowExecution: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      starts++;
      reply(callback);
    },
    GetSystemInfo: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => reply(callback),
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    starts: () => starts,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

// Run on its own (`tsx bench/frontend-stub.ts`): prints the address, serves until stdin closes, so
// the generator benchmark can give the stub its own, lower-priority process.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const stub = await startFrontendStub();
  process.stdout.write(`${stub.address}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void stub.close().then(() => process.exit(0)));
}

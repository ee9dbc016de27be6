import proto from '@temporalio/proto';

const ws = proto.temporal.api.workflowservice.v1;

/** The encoded reply per WorkflowService method the generator calls: a start, and the client's connect. */
export function stubReplies(): Record<string, Buffer> {
  return {
    StartWorkflowExecution: Buffer.from(ws.StartWorkflowExecutionResponse.encode({ runId: '00000000-0000-0000-0000-000000000000', started: true }).finish()),
    GetSystemInfo: Buffer.from(ws.GetSystemInfoResponse.encode({ serverVersion: 'stub', capabilities: {} }).finish()),
  };
}

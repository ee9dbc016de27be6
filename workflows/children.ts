import { executeChild, workflowInfo } from '@temporalio/workflow';
import { activityWorkflow } from './activity.js';
import { noopWorkflow } from './noop.js';

export interface ChildrenInput {
  count: number;
  /** What each child runs: a noop workflow or a single noop activity. */
  child?: 'noop' | 'activity';
}

const childTypes = { noop: noopWorkflow, activity: activityWorkflow };

/** N child workflows started together and awaited: parent/child transfer tasks across shards. */
export async function childrenWorkflow({ count, child = 'noop' }: ChildrenInput): Promise<number> {
  const { workflowId } = workflowInfo();
  await Promise.all(Array.from({ length: count }, (_, i) => executeChild(childTypes[child], { workflowId: `${workflowId}-child-${i}`, args: [{}] })));
  return count;
}

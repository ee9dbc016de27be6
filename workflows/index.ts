/** Every workflow kind; this file is the workers' `workflowsPath`. One kind per file. */
export { noopWorkflow } from './noop.js';
export { activityWorkflow } from './activity.js';
export { chainWorkflow } from './chain.js';
export { fanoutWorkflow } from './fanout.js';
export { childrenWorkflow } from './children.js';
export { timersWorkflow } from './timers.js';
export { signalsWorkflow } from './signals.js';
export { updateWorkflow } from './update.js';
export { payloadWorkflow } from './payload.js';
export { continueAsNewWorkflow } from './continue-as-new.js';
export { retryWorkflow } from './retry.js';
export { localActivityWorkflow } from './local-activity.js';
export { programWorkflow } from './program.js';
// Any other workflow type runs as a program (the SDK's dynamic workflow: a default export): a
// scenario from `bench profile` starts its programs under the profiled types' own names.
export { programWorkflow as default } from './program.js';

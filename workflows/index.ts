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

/** Every workflow kind; this file is the workers' `workflowsPath`. One kind per file. */
export { noopWorkflow } from './noop';
export { activityWorkflow } from './activity';
export { chainWorkflow } from './chain';
export { fanoutWorkflow } from './fanout';
export { childrenWorkflow } from './children';
export { timersWorkflow } from './timers';
export { signalsWorkflow } from './signals';
export { updateWorkflow } from './update';
export { payloadWorkflow } from './payload';
export { continueAsNewWorkflow } from './continue-as-new';
export { retryWorkflow } from './retry';
export { localActivityWorkflow } from './local-activity';
export { programWorkflow } from './program';

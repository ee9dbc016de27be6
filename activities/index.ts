import { cpuBurn, echo, noop, sleep } from './basic.js';
import { failUntilAttempt } from './failing.js';
import { heartbeat } from './heartbeat.js';

export type { CpuBurnInput, EchoInput, SleepInput } from './basic.js';
export type { FailUntilAttemptInput } from './failing.js';
export type { HeartbeatInput, HeartbeatResult } from './heartbeat.js';

/** Every activity a bench worker registers; workflows reach them through `proxyActivities<Activities>`. */
export const activities = { noop, sleep, echo, cpuBurn, failUntilAttempt, heartbeat };
export type Activities = typeof activities;
export type ActivityName = keyof Activities;

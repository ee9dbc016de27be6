import { cpuBurn, echo, noop, sleep } from './basic';
import { failUntilAttempt } from './failing';
import { heartbeat } from './heartbeat';

export type { CpuBurnInput, EchoInput, SleepInput } from './basic';
export type { FailUntilAttemptInput } from './failing';
export type { HeartbeatInput, HeartbeatResult } from './heartbeat';

/** Every activity a bench worker registers; workflows reach them through `proxyActivities<Activities>`. */
export const activities = { noop, sleep, echo, cpuBurn, failUntilAttempt, heartbeat };
export type Activities = typeof activities;
export type ActivityName = keyof Activities;

import type { CommandModule } from 'yargs';
import { capacityCommand } from './capacity';
import { cleanupCommand } from './cleanup';
import { compareCommand } from './compare';
import { historyCommand } from './history';
import { listCommand } from './list';
import { reportCommand } from './report';
import { runCommand } from './run';
import { stackCommand } from './stack';
import { workerCommand } from './worker';

/** Every `bench` sub-command, in the order of the pipeline; a new command is one file plus one line here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  stackCommand,
  workerCommand,
  runCommand,
  reportCommand,
  compareCommand,
  historyCommand,
  capacityCommand,
  cleanupCommand,
  listCommand,
];

import type { CommandModule } from 'yargs';
import { alertsCommand } from './alerts.js';
import { capacityCommand } from './capacity.js';
import { cleanupCommand } from './cleanup.js';
import { compareCommand } from './compare.js';
import { dashboardCommand } from './dashboard.js';
import { historyCommand } from './history.js';
import { listCommand } from './list.js';
import { mergeCommand } from './merge.js';
import { profileCommand } from './profile.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { schemaCommand } from './schema.js';
import { setupCommand } from './setup.js';
import { stackCommand } from './stack.js';
import { workerCommand } from './worker.js';

/** Every `bench` sub-command, in the order of the pipeline; a new command is one file plus one line here. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type; yargs takes the list as one
export const commands: CommandModule<any, any>[] = [
  stackCommand,
  setupCommand,
  profileCommand,
  workerCommand,
  runCommand,
  mergeCommand,
  reportCommand,
  compareCommand,
  historyCommand,
  capacityCommand,
  alertsCommand,
  dashboardCommand,
  cleanupCommand,
  listCommand,
  schemaCommand,
];

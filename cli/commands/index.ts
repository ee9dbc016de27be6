import type { CommandModule } from 'yargs';
import { stackCommand } from './stack';

/** Every `bench` sub-command; a new command is one file plus one line here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [stackCommand];

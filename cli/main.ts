import yargs, { type MiddlewareFunction } from 'yargs';
import { describeFailure, ExitCode } from '../core/errors.js';
import { commands } from './commands/index.js';
import { quietIpServerNameWarning } from './quiet-warnings.js';
import { refuseRepeatedFlags } from './repeated-flags.js';
import { harnessInfo } from '../runner/version.js';

/** Runs the `bench` CLI; never throws: every failure becomes one line on stderr and an exit code. */
export async function main(argv: string[]): Promise<void> {
  quietIpServerNameWarning();
  let parser = yargs(argv)
    .scriptName('bench')
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'name a command; see bench --help')
    .recommendCommands()
    .middleware(refuseRepeatedFlags as unknown as MiddlewareFunction, true)
    .help()
    .alias('h', 'help')
    .version('version', 'show the version and commit', versionLine())
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      // yargs validation errors arrive as msg; errors thrown by handlers arrive as err.
      if (err) throw err;
      process.stderr.write(`bench: ${oneLine(msg)}\n`);
      process.exit(ExitCode.usage);
    });
  for (const command of commands) parser = parser.command(command);
  try {
    await parser.parseAsync();
  } catch (err) {
    const { code, line } = describeFailure(err);
    process.stderr.write(`bench: ${line}\n`);
    if (process.env.BENCH_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(code);
  }
}

/** yargs reports a bad choice over several lines ("Invalid values:\n  Argument: tls, Given: ..."): one line, as every other usage error. */
function oneLine(msg: string): string {
  const choice = /Argument: ([\w-]+), Given: ("[^"]*"|\S+), Choices: (.*)/.exec(msg);
  if (choice) return `--${choice[1]} ${choice[2]}: expected one of ${choice[3]!.replace(/"/g, '')}`;
  return msg.replace(/\s*\n\s*/g, '; ');
}

function versionLine(): string {
  const { version, gitSha } = harnessInfo();
  return `temporal-bench ${version} (${gitSha === 'unknown' ? 'commit unknown' : gitSha.slice(0, 12)})`;
}

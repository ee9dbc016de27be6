import { UsageError } from '../core/errors.js';
import type { PostgresOptions } from './options.js';
import { canConnect } from './net.js';
import { runCommand } from './processes.js';

type Log = (line: string) => void;

function sqlToolArgs(pg: PostgresOptions, database: string): string[] {
  const args = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--db', database];
  if (pg.password) args.push('--pw', pg.password);
  return args;
}

async function sqlTool(tool: string, pg: PostgresOptions, database: string, command: string[]): Promise<void> {
  const result = await runCommand(tool, [...sqlToolArgs(pg, database), ...command]);
  const errorLine = result.stderr
    .split('\n')
    .concat(result.stdout.split('\n'))
    .find((line) => /\bERROR\b/.test(line));
  if (result.code !== 0 || errorLine) {
    const detail = errorLine?.match(/"error": "([^"]+)"/)?.[1] ?? errorLine ?? `exit ${result.code}`;
    throw new Error(`temporal-sql-tool ${command[0]} on ${database} failed: ${detail}`);
  }
}

export async function requirePostgres(pg: PostgresOptions): Promise<void> {
  if (!(await canConnect(pg.host, pg.port))) {
    throw new UsageError(`PostgreSQL is unreachable at ${pg.host}:${pg.port}: start it or point --postgres-url at a running server`);
  }
}

/**
 * Creates the `temporal` and `temporal_visibility` databases and brings their schemas to the version
 * embedded in this server build. Each step is idempotent, so a second `stack up` changes nothing.
 */
export async function setupDatabases(tool: string, pg: PostgresOptions, log: Log): Promise<void> {
  await requirePostgres(pg);
  for (const [database, schema] of [
    [pg.database, 'postgresql/v12/temporal'],
    [pg.visibilityDatabase, 'postgresql/v12/visibility'],
  ] as const) {
    log(`database ${database}: create and update schema ${schema}`);
    await sqlTool(tool, pg, database, ['create-database']);
    await sqlTool(tool, pg, database, ['setup-schema', '-v', '0.0']);
    await sqlTool(tool, pg, database, ['update-schema', '--schema-name', schema]);
  }
}

export async function dropDatabases(tool: string, pg: PostgresOptions, log: Log): Promise<void> {
  await requirePostgres(pg);
  for (const database of [pg.database, pg.visibilityDatabase]) {
    log(`database ${database}: drop`);
    await sqlTool(tool, pg, database, ['drop-database', '--force']);
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { cacheDir, defaultServerVersion } from './options.js';
import { runCommand } from './processes.js';

export interface ServerBinaries {
  server: string;
  sqlTool: string;
  version: string;
}

/** The Go module that pins the server version (go.mod/go.sum kept in the repo). */
const pinnedModuleDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-build');

const targets = [
  { name: 'temporal-server', pkg: 'go.temporal.io/server/cmd/server' },
  { name: 'temporal-sql-tool', pkg: 'go.temporal.io/server/cmd/tools/sql' },
] as const;

type Log = (line: string) => void;

/**
 * Returns the server and SQL tool binaries for a version, building them from the Go module proxy on
 * first use and caching them outside the work tree. TEMPORAL_SERVER_BIN / TEMPORAL_SQL_TOOL_BIN win.
 */
export async function ensureServerBinaries(version: string, log: Log): Promise<ServerBinaries> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new UsageError(`unknown server version ${JSON.stringify(version)}: expected a release like ${defaultServerVersion}`);
  }
  const binDir = path.join(cacheDir(), 'bin', version);
  const server = process.env.TEMPORAL_SERVER_BIN ?? path.join(binDir, 'temporal-server');
  const sqlTool = process.env.TEMPORAL_SQL_TOOL_BIN ?? path.join(binDir, 'temporal-sql-tool');
  for (const [envName, file] of [
    ['TEMPORAL_SERVER_BIN', process.env.TEMPORAL_SERVER_BIN],
    ['TEMPORAL_SQL_TOOL_BIN', process.env.TEMPORAL_SQL_TOOL_BIN],
  ] as const) {
    if (file && !isExecutable(file)) throw new UsageError(`${envName}=${file} is not an executable file`);
  }
  const missing = targets.filter((t) => !isExecutable(t.name === 'temporal-server' ? server : sqlTool));
  if (missing.length === 0) return { server, sqlTool, version };

  await requireGo();
  const moduleDir = await prepareModule(version, log);
  fs.mkdirSync(binDir, { recursive: true });
  for (const target of missing) {
    const started = Date.now();
    log(`building ${target.name} ${version} from the Go module proxy (the first build takes a few minutes)...`);
    const out = path.join(binDir, target.name);
    const tmp = `${out}.partial-${process.pid}`;
    let compiled = 0;
    const result = await runCommand('go', ['build', '-v', '-tags', 'protolegacy', '-ldflags=-checklinkname=0', '-o', tmp, target.pkg], {
      cwd: moduleDir,
      env: { ...process.env, CGO_ENABLED: '0' },
      onStderrLine: () => {
        compiled += 1;
        if (compiled % 250 === 0) log(`  ${target.name}: ${compiled} packages compiled (${Math.round((Date.now() - started) / 1000)} s)`);
      },
    });
    if (result.code !== 0) {
      fs.rmSync(tmp, { force: true });
      const cause = result.stderr
        .split('\n')
        .filter((l) => /error|cannot|undefined/i.test(l))
        .slice(0, 3)
        .join('; ');
      throw new Error(`go build of ${target.name} ${version} failed: ${cause || `exit ${result.code}`}`);
    }
    fs.renameSync(tmp, out);
    log(`built ${target.name} ${version} in ${Math.round((Date.now() - started) / 1000)} s -> ${out}`);
  }
  return { server, sqlTool, version };
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function requireGo(): Promise<void> {
  try {
    const result = await runCommand('go', ['version']);
    if (result.code !== 0) throw new Error('go version failed');
  } catch {
    throw new UsageError('Go is not installed or not on PATH: it is needed to build temporal-server (or set TEMPORAL_SERVER_BIN and TEMPORAL_SQL_TOOL_BIN)');
  }
}

/** The pinned module for the default version; a scratch copy resolved at `version` otherwise. */
async function prepareModule(version: string, log: Log): Promise<string> {
  if (version === defaultServerVersion) return pinnedModuleDir;
  const dir = path.join(cacheDir(), 'build', version);
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'go.sum'))) {
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module temporal-bench/server-build\n\ngo 1.22\n');
    fs.copyFileSync(path.join(pinnedModuleDir, 'tools.go'), path.join(dir, 'tools.go'));
    const got = await runCommand('go', ['get', `go.temporal.io/server@v${version}`], { cwd: dir });
    if (got.code !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new UsageError(`unknown server version ${version}: the Go module proxy has no go.temporal.io/server v${version}`);
    }
    const tidy = await runCommand('go', ['mod', 'tidy'], { cwd: dir });
    if (tidy.code !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`go mod tidy for server v${version} failed: ${tidy.stderr.trim().split('\n').pop()}`);
    }
    log(`resolved go.temporal.io/server v${version} from the Go module proxy`);
  }
  return dir;
}

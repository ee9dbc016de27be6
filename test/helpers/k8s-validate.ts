/**
 * The Kubernetes manifest validator (tools/k8s-validate, a Go program on the official API types),
 * built once from the Go module proxy and cached like the Temporal server binaries.
 *
 * Also runnable, so scripts/setup can build it ahead of the tests (and anyone can lint manifests):
 *
 *   node --import tsx test/helpers/k8s-validate.ts              # build if needed, print the binary's path
 *   node --import tsx test/helpers/k8s-validate.ts FILE...      # validate; exit code of k8s-validate
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDir } from '../../stack/options.js';
import { runCommand, type CommandResult } from '../../stack/processes.js';
import { isExecutable } from '../../stack/build.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const k8sValidateModuleDir = path.join(repoRoot, 'tools', 'k8s-validate');

/** Part of the cache key: changing the flags rebuilds too. */
const buildArgs = ['build', '-mod=readonly', '-trimpath', '-ldflags=-s -w'];

type Log = (line: string) => void;
const stderrLog: Log = (line) => process.stderr.write(`[k8s-validate] ${line}\n`);

const building = new Map<string, Promise<string>>();

/**
 * Path of the k8s-validate binary for the current sources, building it on first use (minutes when
 * the Go build cache is cold, about a second when only this program changed). The binary lives under
 * <cacheDir>/bin/k8s-validate/<hash of go.mod, go.sum and *.go>/, so an edit gets a fresh build and
 * concurrent builders (setup, several test processes) never see a half-written file: each writes a
 * private temp file and renames it into place. K8S_VALIDATE_BIN overrides the whole thing.
 */
export function ensureK8sValidator(log: Log = stderrLog): Promise<string> {
  const override = process.env.K8S_VALIDATE_BIN;
  if (override) {
    if (!isExecutable(override)) return Promise.reject(new Error(`K8S_VALIDATE_BIN=${override} is not an executable file`));
    return Promise.resolve(override);
  }
  const key = sourceHash();
  let pending = building.get(key);
  if (!pending) {
    pending = build(key, log);
    building.set(key, pending);
    pending.catch(() => building.delete(key));
  }
  return pending;
}

/** Runs k8s-validate on the files: exit 0 and `ok: ...` on stdout, or 1 and one line per problem on stderr. */
export async function validateManifests(files: string[], options: { cwd?: string } = {}): Promise<CommandResult> {
  const bin = await ensureK8sValidator();
  return runCommand(bin, files, { cwd: options.cwd ?? repoRoot });
}

function sourceHash(): string {
  const names = fs
    .readdirSync(k8sValidateModuleDir)
    .filter((n) => n === 'go.mod' || n === 'go.sum' || n.endsWith('.go'))
    .sort();
  if (!names.includes('go.mod') || !names.includes('go.sum')) {
    throw new Error(`${k8sValidateModuleDir} has no go.mod/go.sum`);
  }
  const hash = createHash('sha256').update(buildArgs.join('\0')).update('\0\0');
  for (const name of names) {
    hash
      .update(name)
      .update('\0')
      .update(fs.readFileSync(path.join(k8sValidateModuleDir, name)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function build(key: string, log: Log): Promise<string> {
  const dir = path.join(cacheDir(), 'bin', 'k8s-validate', key);
  const bin = path.join(dir, 'k8s-validate');
  if (await works(bin)) return bin;

  const go = await findGo();
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.k8s-validate.partial-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = Date.now();
  log(`building k8s-validate from the Go module proxy (${path.relative(repoRoot, k8sValidateModuleDir)}; minutes when the Go build cache is cold)...`);
  try {
    const result = await runCommand(go, [...buildArgs, '-o', tmp, '.'], {
      cwd: k8sValidateModuleDir,
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    if (result.code !== 0) {
      const cause = result.stderr.trim().split('\n').slice(-5).join('; ');
      throw new Error(`go build of k8s-validate failed (exit ${result.code}): ${cause}`);
    }
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, bin);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  if (!(await works(bin))) throw new Error(`k8s-validate built at ${bin} but does not run`);
  log(`built k8s-validate in ${Math.round((Date.now() - started) / 1000)} s -> ${bin}`);
  return bin;
}

/** An existing cached binary is used only if it runs (guards against a truncated or foreign file). */
async function works(bin: string): Promise<boolean> {
  if (!isExecutable(bin)) return false;
  try {
    const result = await runCommand(bin, ['--help']);
    return result.code === 0 && result.stdout.startsWith('usage: k8s-validate');
  } catch {
    return false;
  }
}

async function findGo(): Promise<string> {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      const result = await runCommand(candidate, ['version']);
      if (result.code === 0) return candidate;
    } catch {
      // not there: try the next one
    }
  }
  throw new Error('Go is not installed (not on PATH nor at /usr/local/go/bin/go): it is needed to build tools/k8s-validate (or set K8S_VALIDATE_BIN)');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const files = process.argv.slice(2);
  try {
    if (files.length === 0) {
      process.stdout.write(`${await ensureK8sValidator()}\n`);
    } else {
      const result = await validateManifests(files, { cwd: process.cwd() });
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      process.exitCode = result.code ?? 1;
    }
  } catch (err) {
    process.stderr.write(`k8s-validate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}

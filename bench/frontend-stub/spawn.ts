import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../stack/options.js';
import { stubReplies } from './replies.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SpawnedStub {
  address: string;
  kind: 'go' | 'node';
  close: () => Promise<void>;
}

/** The Go stub's binary, built once per source version into the cache (~20 s); undefined without Go. */
function goStubBinary(log: (line: string) => void): string | undefined {
  const sources = ['main.go', 'go.mod', 'go.sum'].map((f) => fs.readFileSync(path.join(here, f)));
  const hash = crypto.createHash('sha256').update(Buffer.concat(sources)).digest('hex').slice(0, 12);
  const binary = path.join(cacheDir(), 'bin', `frontend-stub-${hash}`);
  if (fs.existsSync(binary)) return binary;
  if (spawnSync('go', ['version']).status !== 0) return undefined;
  log('building the Go frontend stub (once)...');
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const built = spawnSync('go', ['build', '-o', `${binary}.partial`, '.'], { cwd: here, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CGO_ENABLED: '0' } });
  if (built.status !== 0) return undefined;
  fs.renameSync(`${binary}.partial`, binary);
  return binary;
}

/**
 * Starts the do-nothing frontend in its own process at nice 10, so it stands in for a remote server
 * instead of taking the generator's core: the Go stub where Go is installed, else the Node one.
 */
export async function spawnFrontendStub(log: (line: string) => void = (l) => console.error(l)): Promise<SpawnedStub> {
  const binary = goStubBinary(log);
  const replies = Object.entries(stubReplies()).flatMap(([method, reply]) => ['--reply', `${method}=${reply.toString('hex')}`]);
  const child = binary ? spawn(binary, replies, { stdio: ['pipe', 'pipe', 'inherit'] }) : spawn(process.execPath, ['--import', 'tsx', path.join(here, 'node-stub.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  os.setPriority(child.pid!, 10);
  const address = await Promise.race([
    createInterface({ input: child.stdout! })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => r.value as string),
    new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`frontend stub exited with ${code}`)))),
  ]);
  return {
    address,
    kind: binary ? 'go' : 'node',
    close: () => new Promise<void>((resolve) => (child.on('exit', () => resolve()), child.stdin!.end())),
  };
}

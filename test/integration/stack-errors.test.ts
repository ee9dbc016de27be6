import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { testStackOptions } from '../helpers/test-stack.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stack-errors-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function flags(slot: number): string[] {
  const o = testStackOptions('errors', slot);
  return ['--dir', path.join(scratch, `stack-${slot}`), '--port', String(o.frontendPort), '--internal-port-base', String(o.internalPortBase), '--metrics-port', String(o.metricsPort), '--prometheus-port', String(o.prometheusPort)];
}

/** An empty binary cache forces a build, so version and Go checks are reached. */
function emptyCacheEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_CACHE_DIR: fs.mkdtempSync(path.join(scratch, 'cache-')), ...extra };
  delete env.TEMPORAL_SERVER_BIN;
  delete env.TEMPORAL_SQL_TOOL_BIN;
  return env;
}

describe('bench stack up: bad input gives one line and exit 2', () => {
  it('PostgreSQL unreachable', async () => {
    const result = await runCli(['stack', 'up', ...flags(4), '--postgres-url', 'postgres://postgres@127.0.0.1:1/temporal']);
    expect(expectOneLineUsageError(result)).toMatch(/PostgreSQL is unreachable at 127\.0\.0\.1:1/);
  });

  it('a port already in use', async () => {
    const o = testStackOptions('errors', 5);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(o.frontendPort, '127.0.0.1', resolve));
    try {
      const result = await runCli(['stack', 'up', ...flags(5)]);
      expect(expectOneLineUsageError(result)).toMatch(new RegExp(`port ${o.frontendPort} \\(frontend gRPC \\(server\\)\\) is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('an unknown server version', async () => {
    const result = await runCli(['stack', 'up', ...flags(6), '--server-version', '1.24.999'], { env: emptyCacheEnv(), timeoutMs: 120_000 });
    expect(expectOneLineUsageError(result)).toMatch(/unknown server version 1\.24\.999/);
  });

  it('a server version that is not a release number', async () => {
    const result = await runCli(['stack', 'up', ...flags(6), '--server-version', 'latest']);
    expect(expectOneLineUsageError(result)).toMatch(/unknown server version "latest"/);
  });

  it('Go missing', async () => {
    // PATH without the Go toolchain; node itself is started by absolute path.
    const result = await runCli(['stack', 'up', ...flags(7)], { env: emptyCacheEnv({ PATH: '/usr/bin:/bin' }) });
    expect(expectOneLineUsageError(result)).toMatch(/Go is not installed or not on PATH/);
  });

  it('split topology with in-memory sqlite', async () => {
    const result = await runCli(['stack', 'up', ...flags(7), '--topology', 'split', '--persistence', 'sqlite']);
    expect(expectOneLineUsageError(result)).toMatch(/--topology split needs --persistence postgres/);
  });

  it('a malformed dynamic config flag', async () => {
    const result = await runCli(['stack', 'up', ...flags(7), '--dynamic-config', 'frontend.rps']);
    expect(expectOneLineUsageError(result)).toMatch(/expected key=value/);
  });

  it('a database initialized with another shard count: exit 2 at once, naming both counts (not a readiness timeout)', async () => {
    const db = `tb_errors_shards_${process.env.BENCH_TEST_PORT_OFFSET ?? 0}`;
    const url = `postgres://postgres@127.0.0.1:5432/${db}`;
    const dir = flags(18)[1]!;
    try {
      const first = await runCli(['stack', 'up', ...flags(18), '--postgres-url', url, '--shards', '4', '--no-prometheus'], { timeoutMs: 240_000 });
      expect(first.code, first.stderr).toBe(0);
      expect((await runCli(['stack', 'down', '--dir', dir])).code).toBe(0);
      const second = await runCli(['stack', 'up', ...flags(18), '--postgres-url', url, '--shards', '8', '--no-prometheus'], { timeoutMs: 240_000 });
      expect(second.code, second.stderr).toBe(2);
      expect(second.stderr).not.toMatch(/^\s+at /m);
      expect(second.stderr.trim().split('\n').at(-1)).toMatch(/initialized with 4 history shards, and 8 cannot change that: use another database \(--postgres-url\) or drop this one/);
    } finally {
      await runCli(['stack', 'down', '--dir', dir]);
      for (const name of [db, `${db}_visibility`]) spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', `DROP DATABASE IF EXISTS ${name}`], { stdio: 'ignore' });
    }
  }, 300_000);
});

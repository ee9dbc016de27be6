import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StackState } from '../../stack/state.js';
import { ensureStackCertificates, issueClientCertificate } from '../../stack/tls.js';
import { startWorkerCli } from '../helpers/bench-worker-cli.js';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { stackFlags } from '../helpers/test-stack.js';
import { hlogCounts, readResult, scratch } from './run-helpers.js';

const shared = inject('stack');

/** A TLS stack started the way a user starts one: `bench stack up --tls MODE`, and wiped after the suite. */
function tlsStack(name: string, slot: number, extra: string[]): () => StackState & { tls: NonNullable<StackState['tls']> } {
  const { dir, flags } = stackFlags(name, slot);
  let state: StackState;
  beforeAll(async () => {
    const up = await runCli(['stack', 'up', ...flags, '--persistence', 'sqlite', '--shards', '16', ...extra], { timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
    const status = await runCli(['stack', 'status', '--dir', dir, '--json']);
    state = JSON.parse(status.stdout) as StackState;
  }, 300_000);
  afterAll(async () => {
    await runCli(['stack', 'down', '--dir', dir, '--wipe']);
  }, 120_000);
  return () => state as StackState & { tls: NonNullable<StackState['tls']> };
}

const short = ['--rps', '5', '--duration', '4s'];

function expectAllCompleted(out: string, starts = 20): void {
  const s = readResult(out).summary;
  expect(s.startedOk).toBe(starts);
  expect(s.reconciliation).toMatchObject({ completed: starts, running: 0, unaccounted: 0 });
}

describe('a mutual-TLS stack: every client path connects with its certificates', () => {
  const stack = tlsStack('tls-mtls', 9, ['--tls', 'mtls']);
  const dir = scratch('tls-mtls');

  it('stack status --json records the CA, the client pair and the server name; the keys are private', () => {
    const s = stack();
    expect(s.tls).toMatchObject({ mode: 'mtls', internode: false, serverName: 'localhost' });
    for (const f of [s.tls.caFile, s.tls.certFile, s.tls.keyFile]) expect(path.dirname(f)).toBe(path.join(s.dir, 'tls'));
    expect(fs.statSync(s.tls.keyFile).mode & 0o077).toBe(0);
    expect(fs.statSync(path.join(s.dir, 'tls', 'ca.key')).mode & 0o077).toBe(0);
  });

  it('bench run --address of the stack picks up its certificates (connection client); every workflow reconciled', async () => {
    const out = path.join(dir, 'picked-up');
    const r = await runCli(['run', '--address', stack().frontendAddress, '--stack-dir', stack().dir, ...short, '--out', out], { timeoutMs: 180_000 });
    expect([0, 98], r.stderr).toContain(r.code);
    expectAllCompleted(out);
  }, 180_000);

  it('bench run --client native with explicit --tls-ca/--tls-cert/--tls-key and --tls-server-name', async () => {
    const { caFile, certFile, keyFile } = stack().tls;
    const out = path.join(dir, 'native');
    const r = await runCli(['run', '--address', stack().frontendAddress, '--client', 'native', '--tls-ca', caFile, '--tls-cert', certFile, '--tls-key', keyFile, '--tls-server-name', 'localhost', ...short, '--out', out], {
      timeoutMs: 180_000,
    });
    expect([0, 98], r.stderr).toContain(r.code);
    expectAllCompleted(out);
  }, 180_000);

  it('bench worker over mTLS serves a run with --workers 0, and bench cleanup reads the run back', async () => {
    const runId = `tls-${Date.now().toString(36)}`;
    const { caFile, certFile, keyFile } = stack().tls;
    const tlsFlags = ['--tls-ca', caFile, '--tls-cert', certFile, '--tls-key', keyFile];
    const worker = await startWorkerCli(['--address', stack().frontendAddress, ...tlsFlags, '--task-queue', `bench-${runId}`, '--processes', '1', '--linger', '0s']);
    try {
      const out = path.join(dir, 'external-worker');
      const r = await runCli(['run', '--address', stack().frontendAddress, ...tlsFlags, '--run-id', runId, '--workers', '0', '--worker-stats', worker.info.statsUrl, ...short, '--out', out], { timeoutMs: 180_000 });
      expect([0, 98], r.stderr).toContain(r.code);
      expectAllCompleted(out);
      // Every completion reached the run through the worker's stats (the summary's e2e covers the steady window only).
      const r2 = readResult(out);
      expect(hlogCounts(path.join(out, r2.hlogFile!)).e2e).toBe(20);
    } finally {
      expect(await worker.interrupt()).toBe(0);
    }
    // Picked up from the stack at BENCH_STACK_DIR (the default stack's directory), as a user's `bench stack up` is.
    const cleanup = await runCli(['cleanup', '--address', stack().frontendAddress, '--run-id', runId], { env: { ...process.env, BENCH_STACK_DIR: stack().dir } });
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect(JSON.parse(cleanup.stdout)).toMatchObject({ runId, terminatedNow: 0, completed: 20 });
  }, 240_000);

  it('bench setup over mTLS registers a namespace', async () => {
    const namespace = `bench-tls-${Date.now().toString(36)}`;
    const r = await runCli(['setup', '--address', stack().frontendAddress, '--namespace', namespace, '--retention', '24h'], { env: { ...process.env, BENCH_STACK_DIR: stack().dir } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ok\\s+namespace ${namespace}\\s+registered`));
  }, 120_000);

  it('bench capacity over mTLS steps the rate and writes its report', async () => {
    const out = path.join(dir, 'capacity');
    const flags = ['--start-rps', '4', '--max-rps', '8', '--step-factor', '2', '--step-duration', '6s', '--settle', '2s', '--max-steps', '2', '--drain-timeout', '10s', '--slo', 'workflow_e2e:p(99)<5000'];
    const r = await runCli(['capacity', '--address', stack().frontendAddress, '--stack-dir', stack().dir, ...flags, '--out', out], { timeoutMs: 300_000 });
    expect(r.stderr).not.toMatch(/cannot reach|TLS/);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'capacity.json'), 'utf8')) as { steps: { rps: number }[] };
    expect(report.steps.length).toBeGreaterThanOrEqual(1);
  }, 300_000);

  describe('each TLS mistake is one line, exit 2, naming the file or the mismatch', () => {
    const run = (...flags: string[]) => ['run', '--address', stack().frontendAddress, ...flags, ...short, '--out', path.join(dir, 'never')];
    // Another stack's PKI: the same shape of CA and client pair, but no trust between them.
    const foreign = () => ensureStackCertificates(path.join(dir, 'other-pki'));

    it('plaintext client (--no-tls) to the mTLS server', async () => {
      expect(expectOneLineUsageError(await runCli(run('--no-tls')))).toMatch(/speaks TLS and requires a client certificate \(mutual TLS\) and this client does not: pass --tls-ca FILE --tls-cert FILE --tls-key FILE/);
    });

    it('no client certificate', async () => {
      expect(expectOneLineUsageError(await runCli(run('--tls-ca', stack().tls.caFile)))).toMatch(/requires a client certificate \(mutual TLS\): pass --tls-cert FILE --tls-key FILE/);
    });

    it('a wrong CA names the CA file', async () => {
      const wrongCa = foreign().caFile;
      const { certFile, keyFile } = stack().tls;
      expect(expectOneLineUsageError(await runCli(run('--tls-ca', wrongCa, '--tls-cert', certFile, '--tls-key', keyFile)))).toMatch(new RegExp(`certificate at \\S+ is not signed by --tls-ca ${wrongCa}`));
    });

    it('a host name the server certificate does not name', async () => {
      const { caFile, certFile, keyFile } = stack().tls;
      expect(expectOneLineUsageError(await runCli(run('--tls-ca', caFile, '--tls-cert', certFile, '--tls-key', keyFile, '--tls-server-name', 'temporal.example.com')))).toMatch(
        /is not for temporal\.example\.com \(it names DNS:localhost.*\): pass --tls-server-name localhost/,
      );
    });

    it('an expired client certificate names the file and the date', async () => {
      const expired = issueClientCertificate(stack().dir, 'expired-client', 0);
      expect(expectOneLineUsageError(await runCli(run('--tls-ca', stack().tls.caFile, '--tls-cert', expired.certFile, '--tls-key', expired.keyFile)))).toMatch(
        new RegExp(`--tls-cert ${expired.certFile}: the certificate \\(.*CN=expired-client\\) expired on \\d{4}-`),
      );
    });

    it('a client certificate the server does not trust (signed by another CA)', async () => {
      const other = foreign();
      const r = await runCli(run('--tls-ca', stack().tls.caFile, '--tls-cert', other.clientCertFile, '--tls-key', other.clientKeyFile));
      expect(expectOneLineUsageError(r)).toMatch(new RegExp(`refused the client certificate --tls-cert ${other.clientCertFile} \\(unknown ca\\)`));
    });

    it('a key that does not match its certificate', async () => {
      const { caFile, certFile } = stack().tls;
      const otherKey = path.join(stack().dir, 'tls', 'server.key');
      expect(expectOneLineUsageError(await runCli(run('--tls-ca', caFile, '--tls-cert', certFile, '--tls-key', otherKey)))).toBe(`bench: --tls-key ${otherKey} does not match --tls-cert ${certFile}: the key belongs to another certificate`);
    });

    it('a CA file that is not a certificate', async () => {
      const { keyFile } = stack().tls;
      expect(expectOneLineUsageError(await runCli(run('--tls-ca', keyFile)))).toMatch(/--tls-ca \S+: not a PEM certificate/);
    });

    it('TLS options against the plaintext shared stack', async () => {
      const r = await runCli(['run', '--address', shared.frontendAddress, '--tls-ca', stack().tls.caFile, ...short, '--out', path.join(dir, 'never')]);
      expect(expectOneLineUsageError(r)).toMatch(/does not speak TLS .*drop the TLS options/);
    });

    it('bench worker with --no-tls against the mTLS stack', async () => {
      const r = await runCli(['worker', '--address', stack().frontendAddress, '--no-tls', '--task-queue', 'bench-tls-never']);
      expect(expectOneLineUsageError(r)).toMatch(/speaks TLS/);
    });

    it('wrote no result directory', () => expect(fs.existsSync(path.join(dir, 'never'))).toBe(false));
  });
});

describe('a server-TLS stack with internode TLS', () => {
  const stack = tlsStack('tls-server', 10, ['--tls', 'server', '--tls-internode', '--no-prometheus']);
  const dir = scratch('tls-server');

  it('serves a run with the native client through its CA alone (no client certificate needed)', async () => {
    expect(stack().tls).toMatchObject({ mode: 'server', internode: true });
    const out = path.join(dir, 'ca-only');
    const r = await runCli(['run', '--address', stack().frontendAddress, '--client', 'native', '--tls-ca', stack().tls.caFile, ...short, '--out', out], { timeoutMs: 180_000 });
    expect([0, 98], r.stderr).toContain(r.code);
    expectAllCompleted(out);
  }, 180_000);

  it('a plaintext client is told the server speaks TLS and to pass --tls-ca', async () => {
    const r = await runCli(['run', '--address', stack().frontendAddress, '--no-tls', ...short, '--out', path.join(dir, 'never')]);
    expect(expectOneLineUsageError(r)).toMatch(/the server at \S+ speaks TLS and this client does not: pass --tls-ca FILE \(or --tls for a publicly signed server\), or leave out --no-tls/);
  });
});

import crypto from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { ReadinessReport } from '../../setup/readiness.js';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';

const stack = inject('stack');

describe('bench setup: prepares a cluster, idempotently, and says whether it is ready', () => {
  const namespace = `bench-setup-${crypto.randomUUID().slice(0, 8)}`;

  it('registers a missing namespace with the retention asked for and prints the readiness table', async () => {
    const r = await runCli(['setup', '--address', stack.frontendAddress, '--namespace', namespace, '--retention', '48h']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Temporal 1\.24\.\d+, cluster \S+, 512 history shards/);
    expect(r.stdout).toMatch(new RegExp(`ok\\s+namespace ${namespace}\\s+registered \\(retention 48h\\)`));
    expect(r.stdout).toMatch(/ok\s+visibility \(list, reconciliation\)\s+answers/);
    // The local stack turns updates on (stack/dynamic-config.ts); the probe must see that.
    expect(r.stdout).toMatch(/ok\s+workflow updates\s+enabled/);
    expect(r.stdout).toMatch(new RegExp(`^ready: bench run --address ${stack.frontendAddress} --namespace ${namespace}$`, 'm'));
  }, 120_000);

  it('run again: finds the namespace and changes nothing, even with another --retention (--json)', async () => {
    const r = await runCli(['setup', '--address', stack.frontendAddress, '--namespace', namespace, '--retention', '24h', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ReadinessReport;
    expect(report).toMatchObject({ namespace, namespaceAction: 'exists', retentionHours: 48, historyShardCount: 512 });
    expect(report.serverVersion).toMatch(/^1\.24\./);
    expect(report.checks.find((c) => c.check === `namespace ${namespace}`)?.detail).toBe('exists, left unchanged (retention 48h; --retention 24h not applied to an existing namespace)');
    expect(
      report.checks.every((c) => c.status === 'ok'),
      JSON.stringify(report.checks),
    ).toBe(true);
    expect(typeof report.capabilities.signalAndQueryHeader).toBe('boolean');
  }, 120_000);

  it('a run into the prepared namespace works; into a missing one, the error names bench setup', async () => {
    const missing = await runCli(['run', '--address', stack.frontendAddress, '--namespace', `bench-nope-${crypto.randomUUID().slice(0, 8)}`, '--rps', '1', '--duration', '2s']);
    expect(expectOneLineUsageError(missing)).toMatch(/does not exist on .*: run bench setup --address/);
  }, 120_000);

  it('refuses a production namespace without --allow-production, before connecting', async () => {
    // An address nothing listens on: the refusal must come first, from the guardrail.
    const r = await runCli(['setup', '--address', '127.0.0.1:1', '--namespace', 'pnats']);
    expect(expectOneLineUsageError(r)).toMatch(/namespace pnats is production: pass --allow-production/);
  });

  it('an unreachable address, no address, or a bad retention: exit 2 with one line', async () => {
    expect(expectOneLineUsageError(await runCli(['setup', '--address', '127.0.0.1:1']))).toMatch(/cannot reach a Temporal frontend at 127\.0\.0\.1:1/);
    const { TEMPORAL_ADDRESS: _, ...noAddress } = process.env;
    expect(expectOneLineUsageError(await runCli(['setup'], { env: noAddress }))).toMatch(/needs --address/);
    expect(expectOneLineUsageError(await runCli(['setup', '--address', stack.frontendAddress, '--retention', '90m']))).toMatch(/--retention 90m: expected whole hours/);
  }, 60_000);
});

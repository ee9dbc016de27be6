import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { rulesDir } from '../../stack/prometheus.js';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { queryPrometheus, waitForPrometheus } from '../helpers/prometheus.js';

/**
 * Alerts from a measurement, checked by the real promtool (Debian's prometheus package) and loaded
 * into the shared stack's real Prometheus, against real runs on the real server.
 */
const stack = inject('stack');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-alerts-'));
const measured = path.join(scratch, 'measured');
const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: measured, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const alert = 'TemporalStartRateNearCapacity';
const firing = (url: string) => queryPrometheus(url, `ALERTS{alertname="${alert}",alertstate="firing"}`);

afterAll(async () => {
  // Leave the shared Prometheus without this test's rules.
  for (const f of fs.readdirSync(rulesDir(stack.dir))) fs.rmSync(path.join(rulesDir(stack.dir), f));
  await fetch(`${stack.prometheusUrl}/-/reload`, { method: 'POST' });
});

describe('bench alerts', () => {
  it('a run that passed at 6/s sets the start-rate alert at 80% of it; promtool checks the rules and passes their own tests', async () => {
    // The measurement must be a valid run; on a busy 2-core CI host a 28-ms lag second made it invalid.
    // Generator precision is not what this test is about, so its lag bound is looser.
    const run = await runCli(['run', '--address', stack.frontendAddress, '--rps', '6', '--duration', '15s', '--threshold', 'workflow_e2e=p(99)<10000', '--max-lag-ms', '100', '--prometheus-url', stack.prometheusUrl!, '--out', measured], {
      timeoutMs: 120_000,
    });
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    const result = await runCli(['alerts', measured, '--for', '10s', '--rate-window', '15s', '--rule-label', 'release=prometheus']);
    expect(result.code, result.stderr).toBe(0);
    const rule = fs.readFileSync(path.join(measured, 'alerts.yaml'), 'utf8');
    expect(rule).toMatch(/^apiVersion: "monitoring.coreos.com\/v1"$/m);
    expect(rule).toMatch(/^kind: "PrometheusRule"$/m);
    expect(rule).toContain('release: "prometheus"');
    const achieved = (JSON.parse(fs.readFileSync(path.join(measured, 'result.json'), 'utf8')) as { summary: { achievedRate: number } }).summary.achievedRate;
    const threshold = Math.round(achieved * 0.8 * 1000) / 1000;
    expect(rule).toContain(`> ${threshold}"`);
    for (const name of [
      alert,
      'TemporalWorkflowEndToEndHigh',
      'TemporalScheduleToStartHigh',
      'TemporalPersistenceLatencyHigh',
      'TemporalResourceExhausted',
      'TemporalWorkflowFailureRateHigh',
      'TemporalFrontendErrors',
      'TemporalPersistenceErrors',
    ]) {
      expect(rule).toContain(`alert: "${name}"`);
    }
    expect(rule).toContain(`measured_by: "temporal-bench run `);
    expect(promtool('check', 'rules', 'alerts.rules.yml')).toMatch(/SUCCESS: 8 rules found/);
    // 16 tests: every rule fires on its input and stays quiet on the other.
    expect(promtool('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
    expect(fs.readFileSync(path.join(measured, 'alerts.test.yml'), 'utf8').match(/^ {2}- name: /gm)).toHaveLength(16);
  }, 180_000);

  it('loaded into the local Prometheus: a run under the threshold leaves the start-rate alert quiet, a run over it makes it fire', async () => {
    const load = await runCli(['alerts', measured, '--for', '10s', '--rate-window', '15s', '--out', path.join(scratch, 'loaded'), '--stack-dir', stack.dir]);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stderr).toMatch(/alerts: loaded into http/);
    await waitForPrometheus('the rule group to load', async () => {
      const res = (await (await fetch(`${stack.prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string }[] }[] } };
      return res.data.groups.some((g) => g.rules.some((r) => r.name === alert)) || undefined;
    });
    // The measuring run's own tail is still in the 15-s window: start once nothing is even pending.
    await waitForPrometheus('no start-rate alert pending', async () => ((await queryPrometheus(stack.prometheusUrl!, `ALERTS{alertname="${alert}"}`)).length === 0 ? true : undefined));
    // Under: 2/s is a third of the measured rate, below 80% of it; its whole 30 s must stay quiet.
    const under = await runCli(['run', '--address', stack.frontendAddress, '--rps', '2', '--duration', '30s', '--out', path.join(scratch, 'under')], { timeoutMs: 120_000 });
    expect(under.code, under.stderr.slice(-1500)).toBe(0);
    const quiet = await queryPrometheus(stack.prometheusUrl!, `max_over_time(ALERTS{alertname="${alert}",alertstate="firing"}[35s])`);
    expect(quiet, JSON.stringify(quiet)).toEqual([]);
    // Over: 10/s is past the measured 6/s; the alert fires once the rate has held for 10 s.
    const over = runCli(['run', '--address', stack.frontendAddress, '--rps', '10', '--duration', '45s', '--out', path.join(scratch, 'over')], { timeoutMs: 150_000 });
    const fired = await waitForPrometheus('the start-rate alert to fire', async () => ((await firing(stack.prometheusUrl!)).length ? await firing(stack.prometheusUrl!) : undefined), 120_000);
    expect(fired[0]!.metric).toMatchObject({ alertname: alert, severity: 'warning' });
    expect((await over).code).not.toBeNull();
  }, 300_000);

  it('bad input: a directory with no result, a bad duration, a bad share and a bad label each exit 2 with one line', async () => {
    const empty = fs.mkdtempSync(path.join(scratch, 'empty-'));
    expect(expectOneLineUsageError(await runCli(['alerts', empty]))).toMatch(/neither capacity.json nor result.json/);
    expect(expectOneLineUsageError(await runCli(['alerts', measured, '--for', '5 minutes']))).toMatch(/--for "5 minutes": expected a Prometheus duration/);
    expect(expectOneLineUsageError(await runCli(['alerts', measured, '--rate-share', '1.5']))).toMatch(/--rate-share 1.5/);
    expect(expectOneLineUsageError(await runCli(['alerts', measured, '--rule-label', 'release']))).toMatch(/--rule-label "release": expected key=value/);
    // Nothing was overwritten by the refused calls: the files are those of the first test.
    expect(fs.readFileSync(path.join(measured, 'alerts.yaml'), 'utf8')).toContain('release: "prometheus"');
  }, 60_000);
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Profile } from '../../profile/profile.js';
import type { ResultFile } from '../../recorder/result-schema.js';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';

/**
 * `bench profile` against the shared stack: three workflow types with distinct shapes run at 60/30/10 %
 * of 6/s for 2 minutes in a fresh namespace; the profile must recover them, and its scenario, run into
 * another fresh namespace, must reproduce the per-type rates and (profiled again) the same shapes.
 */
const stack = inject('stack');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
const id = crypto.randomUUID().slice(0, 8);
const original = `bench-prof-a-${id}`;
const copy = `bench-prof-b-${id}`;

const program = (steps: unknown[]) => ({ program: { kind: 'sequence', steps } });
const load = {
  name: 'profile-source',
  description: 'three shapes at 60/30/10 % of 6/s',
  executor: { executor: 'constant-arrival-rate', rate: 6, timeUnit: '1s', duration: '2m' },
  mix: [
    { kind: 'program', workflowType: 'ProfOne', tag: 'ProfOne', weight: 6, input: program([{ kind: 'activity', call: { name: 'sleep', ms: 20 } }]) },
    { kind: 'program', workflowType: 'ProfThree', tag: 'ProfThree', weight: 3, input: program([{ kind: 'payload', bytes: 2000 }, { kind: 'activity' }, { kind: 'activity' }, { kind: 'timer', ms: 300 }]) },
    {
      kind: 'program',
      workflowType: 'ProfKids',
      tag: 'ProfKids',
      weight: 1,
      input: program([
        { kind: 'awaitSignal', name: 'go', count: 1 },
        {
          kind: 'parallel',
          steps: [
            { kind: 'child', program: { kind: 'timer', ms: 100 } },
            { kind: 'child', program: { kind: 'timer', ms: 100 } },
          ],
        },
      ]),
      interactions: [{ type: 'signal', name: 'go', delay: '200ms' }],
    },
  ],
};
const expectedCounts = {
  ProfOne: { activity: 1, timer: 0, child: 0, signal: 0 },
  ProfThree: { activity: 3, timer: 1, child: 0, signal: 0 },
  ProfKids: { activity: 0, timer: 0, child: 2, signal: 1 },
};
const shares = { ProfOne: 0.6, ProfThree: 0.3, ProfKids: 0.1 };

const setup = async (namespace: string) => expect((await runCli(['setup', '--address', stack.frontendAddress, '--namespace', namespace])).code).toBe(0);
const profileInto = (namespace: string, out: string, extra: string[] = []) =>
  runCli(['profile', '--address', stack.frontendAddress, '--namespace', namespace, '--sample', '15', '--max-rps', '50', '--out', out, ...(extra.includes('--since') ? [] : ['--since', '15m']), ...extra], { timeoutMs: 180_000 });
const readProfile = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'profile.json'), 'utf8')) as Profile;

describe('bench profile', () => {
  let first: Profile;
  beforeAll(async () => {
    await setup(original);
    const config = path.join(scratch, 'load.json');
    fs.writeFileSync(config, JSON.stringify(load));
    const run = await runCli(['run', '--address', stack.frontendAddress, '--namespace', original, '--config', config, '--out', path.join(scratch, 'load')], { timeoutMs: 300_000 });
    expect([0, 98, 99], run.stderr.slice(-1500)).toContain(run.code); // valid or not, what started is what is measured
    const p = await profileInto(original, path.join(scratch, 'first'), ['--duration', '2m']);
    expect(p.code, p.stderr.slice(-1500)).toBe(0);
    first = readProfile(path.join(scratch, 'first'));
  }, 600_000);

  it('recovers the shares within 5 points, the step counts exactly and the payload size within 10 %', () => {
    expect(first.types.map((t) => t.type).sort()).toEqual(['ProfKids', 'ProfOne', 'ProfThree']);
    for (const t of first.types) {
      const name = t.type as keyof typeof shares;
      expect(Math.abs(t.share - shares[name]), t.type).toBeLessThanOrEqual(0.05);
      expect(t.counts, t.type).toMatchObject(expectedCounts[name]);
      expect(t.typicalShare, t.type).toBe(1);
    }
    const three = first.types.find((t) => t.type === 'ProfThree')!;
    const payload = JSON.stringify(three.program).match(/"kind":"payload","bytes":(\d+)/);
    expect(Number(payload?.[1])).toBeGreaterThanOrEqual(1800);
    expect(Number(payload?.[1])).toBeLessThanOrEqual(2200);
    expect(first.perMinute.peak).toBeGreaterThanOrEqual(342); // 6/s for a whole minute, within 5 %
    expect(fs.readFileSync(path.join(scratch, 'first', 'profile.md'), 'utf8')).toMatch(/\| ProfOne \| [56]\d(\.\d)?% \|/);
    expect(fs.readFileSync(path.join(scratch, 'first', 'profile.html'), 'utf8')).toContain('class="profile-types"');
  });

  it('its scenario, run into another namespace, reproduces the per-type start rates within 5 % and the same shapes', async () => {
    await setup(copy);
    const run = await runCli(['run', '--address', stack.frontendAddress, '--namespace', copy, '--config', path.join(scratch, 'first', 'scenario.json'), '--out', path.join(scratch, 'copy')], { timeoutMs: 300_000 });
    expect([0, 98, 99], run.stderr.slice(-1500)).toContain(run.code); // valid or not, what started is what is measured
    const steady = (JSON.parse(fs.readFileSync(path.join(scratch, 'copy', 'result.json'), 'utf8')) as ResultFile).summary.steady!;
    for (const t of first.types) {
      const rate = (steady.counts[`started{kind:${t.type}}`] ?? 0) / steady.durationS;
      expect(Math.abs(rate / (6 * shares[t.type as keyof typeof shares]) - 1), `${t.type} ${rate}/s`).toBeLessThanOrEqual(0.05);
    }
    const again = await profileInto(copy, path.join(scratch, 'second'));
    expect(again.code, again.stderr.slice(-1500)).toBe(0);
    const second = readProfile(path.join(scratch, 'second'));
    for (const t of first.types) expect(second.types.find((s) => s.type === t.type)?.counts, t.type).toEqual(t.counts);
  }, 600_000);

  it('an empty namespace, a --since with nothing in it and an unreachable server exit 2 with one line, writing nothing', async () => {
    const empty = `bench-prof-e-${id}`;
    await setup(empty);
    expect(expectOneLineUsageError(await profileInto(empty, path.join(scratch, 'empty')))).toMatch(/has no workflow started since/);
    expect(expectOneLineUsageError(await profileInto(original, path.join(scratch, 'since'), ['--since', '1s']))).toMatch(/has no workflow started since/);
    const down = await runCli(['profile', '--address', '127.0.0.1:1', '--namespace', original, '--out', path.join(scratch, 'down')]);
    expect(expectOneLineUsageError(down)).toMatch(/cannot reach a Temporal frontend at 127\.0\.0\.1:1/);
    for (const d of ['empty', 'since', 'down']) expect(fs.existsSync(path.join(scratch, d))).toBe(false);
  }, 120_000);
});

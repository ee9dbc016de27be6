import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { scratch } from './run-helpers.js';

const stack = inject('stack');
const dir = scratch('errors');
const earlier = path.join(dir, 'earlier');
fs.mkdirSync(earlier);
fs.writeFileSync(path.join(earlier, 'result.json'), '{"earlier":true}\n');
const badJson = path.join(dir, 'bad.json');
fs.writeFileSync(badJson, '{ "executor": ');
const unknownKind = path.join(dir, 'unknown-kind.json');
fs.writeFileSync(unknownKind, JSON.stringify({ executor: { executor: 'constant-arrival-rate', rate: 1, duration: '5s' }, mix: [{ kind: 'nosuch' }] }));

const a = ['--address', stack.frontendAddress];
const cases: [string, string[], RegExp][] = [
  ['unknown scenario', [...a, '--scenario', 'nosuch'], /unknown scenario "nosuch"/],
  ['bad duration', [...a, '--rps', '5', '--duration', '10x'], /duration "10x"/],
  ['bad threshold expression', [...a, '--rps', '5', '--threshold', 'start_latency=p99<5'], /expected e\.g\./],
  ['unknown threshold metric', [...a, '--rps', '5', '--threshold', 'nosuch=p(99)<5'], /unknown/],
  ['rps 0', [...a, '--rps', '0'], /--rps must be a number > 0/],
  ['negative rps', [...a, '--rps', '-5'], /--rps must be a number > 0/],
  ['unreachable address', ['--address', '127.0.0.1:1', '--rps', '5'], /cannot reach a Temporal frontend/],
  ['malformed address', ['--address', 'nohost', '--rps', '5'], /expected host:port/],
  ['unknown namespace', [...a, '--namespace', 'bench-nosuch', '--rps', '5'], /namespace bench-nosuch does not exist/],
  ['missing TLS file', [...a, '--tls-ca', path.join(dir, 'no-ca.pem'), '--rps', '5'], /--tls-ca .*not found/],
  ['conflicting --rps and --concurrency', [...a, '--rps', '5', '--concurrency', '3'], /conflicts with --concurrency/],
  ['--rps against a ramping scenario', [...a, '--scenario', 'ramp', '--rps', '5'], /conflicts with scenario ramp/],
  ['production namespace without --allow-production', [...a, '--namespace', 'pnats', '--rps', '5'], /production: pass --allow-production/],
  ['namespace outside the allow-list', [...a, '--namespace', 'payments', '--rps', '5'], /not in the allow-list/],
  ['rate above --max-rps', [...a, '--rps', '5000'], /above --max-rps 1000/],
  ['existing --out directory', [...a, '--rps', '5', '--out', earlier], /already exists and is not empty/],
  ['bad config JSON', [...a, '--config', badJson], /invalid JSON/],
  ['missing config file', [...a, '--config', path.join(dir, 'none.json')], /file not found/],
  ['unknown kind in a config mix', [...a, '--config', unknownKind], /unknown kind .nosuch./],
  ['zero generators', [...a, '--rps', '5', '--generators', '0'], /--generators must be an integer >= 1/],
  ['sub-second .hlog segment', [...a, '--rps', '5', '--hlog-segment', '500ms'], /--hlog-segment 500ms: use whole seconds/],
  ['one in-process generator asked to be two', [...a, '--rps', '5', '--generators', '2', '--generator-process', 'inline'], /--generator-process inline runs one generator, not --generators 2/],
  ['bad overflow policy', [...a, '--rps', '5', '--overflow', 'maybe'], /--overflow "maybe": expected drop or queue/],
];

describe('bench run: bad inputs are usage errors (exit 2, one line) and write nothing', () => {
  it.each(cases)(
    '%s',
    async (_name, args, message) => {
      const out = path.join(dir, `out-${_name.replace(/\W+/g, '-')}`);
      const withOut = args.includes('--out') ? args : [...args, '--out', out];
      const result = await runCli(['run', ...withOut], { timeoutMs: 60_000 });
      expect(expectOneLineUsageError(result)).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    },
    60_000,
  );

  it('left the earlier results untouched', () => {
    expect(fs.readdirSync(earlier)).toEqual(['result.json']);
    expect(fs.readFileSync(path.join(earlier, 'result.json'), 'utf8')).toBe('{"earlier":true}\n');
  });
});

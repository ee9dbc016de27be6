import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { scratch } from './run-helpers.js';

/**
 * Hostile input across commands: every case exits 2 with one stderr line naming what to change, no
 * stack trace, and writes nothing (each command runs in a directory holding earlier results, which
 * must come out byte for byte the same). Nothing listens on the address: a case that got past its
 * check would fail differently, and its message would not match.
 */
const files = scratch('hostile-files');
const cwd = scratch('hostile-cwd');
fs.mkdirSync(path.join(cwd, 'results', 'earlier'), { recursive: true });
fs.writeFileSync(path.join(cwd, 'results', 'earlier', 'result.json'), '{"earlier":true}\n');
const snapshot = () =>
  fs
    .readdirSync(cwd, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => [f, fs.statSync(path.join(cwd, f)).isFile() ? fs.readFileSync(path.join(cwd, f), 'utf8') : '']);
const before = snapshot();

let n = 0;
/** A scenario file holding `content` (JSON unless it is bytes or text already). */
function file(content: unknown): string {
  const f = path.join(files, `f${n++}.json`);
  fs.writeFileSync(f, Buffer.isBuffer(content) || typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}
const noServer = ['--address', '127.0.0.1:1'];
const run = (...args: string[]) => ['run', ...noServer, ...args];
const config = (content: unknown) => run('--config', file(content));
const cc = (executor: unknown, more: Record<string, unknown> = {}) => config({ executor, mix: [{ kind: 'activity' }], ...more });
const car = { executor: 'constant-arrival-rate', rate: 5, duration: '10s' };
const ramp = (stages: unknown) => cc({ executor: 'ramping-arrival-rate', stages });
const deep = (depth: number): unknown => (depth === 0 ? 1 : { a: deep(depth - 1) });
const otherVersion = file({ schemaVersion: 99, runId: 'x' });
const aFile = file('not a directory');
const bigFile = path.join(files, 'big.json');
fs.writeFileSync(bigFile, `{"extends":"steady","description":"${'x'.repeat(50 * 1024 * 1024)}"}`);

const cases: [string, string[], RegExp][] = [
  // Scenario files: unknown, misplaced and wrongly typed fields.
  [
    'the executor written flat',
    config({ extends: 'steady', executor: 'constant-arrival-rate', rate: 1e9, duration: '10s' }),
    /--config .*: executor: expected an object like \{"executor":"constant-arrival-rate".*"rate", "duration" are fields of executor, not of the scenario$/,
  ],
  ['a misplaced executor field', config({ extends: 'steady', rate: 10 }), /rate: unknown field: "rate" is a field of executor, not of the scenario/],
  ['a misspelt field', config({ extends: 'steady', treshold: {} }), /treshold: unknown field; did you mean "thresholds"\?/],
  ['an unknown executor field', cc({ ...car, rps: 5 }), /executor\.rps: unknown field/],
  ['an unknown executor', cc({ executor: 'arrival-rate', rate: 5 }), /executor\.executor: expected one of "constant-arrival-rate"/],
  ['warmup as a number', config({ extends: 'steady', warmup: 30 }), /warmup: expected a duration like 500ms/],
  ['rate as a string', cc({ ...car, rate: 'NaN' }), /executor\.rate: expected a number > 0 and ≤ 1000000, got "NaN"/],
  ['rate Infinity (1e999)', run('--config', file('{"executor":{"executor":"constant-arrival-rate","rate":1e999,"duration":"10s"},"mix":[{"kind":"activity"}]}')), /executor\.rate: expected a number > 0 .* got Infinity/],
  ['a negative rate', cc({ ...car, rate: -5 }), /executor\.rate: expected a number > 0/],
  ['a huge rate', cc({ ...car, rate: 1e12 }), /executor\.rate: expected a number > 0 and ≤ 1000000, got 1000000000000/],
  ['fractional VUs', cc({ executor: 'constant-vus', vus: 1.5, duration: '10s' }), /executor\.vus: expected a whole number/],
  ['a missing duration', cc({ executor: 'constant-arrival-rate', rate: 5 }), /executor\.duration: missing field/],
  ['a zero-length stage', ramp([{ target: 5, duration: '0s' }]), /executor\.stages\[0\]\.duration: "0s": must be longer than zero/],
  ['a negative stage', ramp([{ target: 5, duration: '-10s' }]), /executor\.stages\[0\]\.duration: expected a duration/],
  ['a negative stage target', ramp([{ target: -1, duration: '10s' }]), /executor\.stages\[0\]\.target: expected a number ≥ 0/],
  ['no stages', ramp([]), /executor\.stages: must not be empty/],
  ['an empty mix', config({ executor: car, mix: [] }), /mix: must not be empty/],
  ['a misspelt mix field', config({ executor: car, mix: [{ kind: 'activity', wieght: 2 }] }), /mix\[0\]\.wieght: unknown field; did you mean "weight"\?/],
  ['a bad interaction type', config({ executor: car, mix: [{ kind: 'signals', interactions: [{ type: 'poke', name: 'x' }] }] }), /mix\[0\]\.interactions\[0\]\.type: expected one of "signal", "update", "query"/],
  ['a threshold that is not a list', config({ extends: 'steady', thresholds: { errors: 'rate<0.01' } }), /thresholds\.errors: expected a list/],
  ['a threshold of an unknown metric', config({ extends: 'steady', thresholds: { latency: ['p(99)<5'] } }), /threshold metric "latency" is unknown/],
  ['a fault object with a typo', cc(car, { faults: [{ at: '5s', action: 'kill', targt: 'history' }] }), /faults\[0\]\.targt: unknown field; did you mean "target"\?/],
  ['a fault string with an unknown key', cc(car, { faults: ['at=5s,action=kill,when=now'] }), /unknown key 'when'/],
  ['deeply nested input', config({ executor: car, mix: [{ kind: 'activity', input: deep(100) }] }), /mix\[0\]\.input: nested deeper than 32 levels/],
  ['a 50 MB scenario file', run('--config', bigFile), /is 50 MB: a scenario file is at most 1 MB/],
  ['non-UTF-8 bytes', run('--config', file(Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))), /is not valid UTF-8/],
  ['a JSON array', run('--config', file('[1,2]')), /expected a JSON object \(a scenario\)/],
  ['an empty file', run('--config', file('')), /invalid JSON/],
  // Emoji and markup in names are data, not errors: validation accepts them (what stops this run is the
  // unreachable address); test/browser/report.test.ts shows the report rendering them as text.
  ['a tag with markup', config({ executor: car, mix: [{ kind: 'activity', tag: '<b>🚀</b>' }] }), /mix\[0\]\.tag: /],
  ['an emoji and <script> name (accepted)', config({ name: '🚀 <script>alert(1)</script>', executor: car, mix: [{ kind: 'activity', tag: 'rocket' }] }), /cannot reach a Temporal frontend at 127\.0\.0\.1:1/],
  // Flags.
  ['--rps not a number', run('--rps', 'abc'), /--rps must be a number > 0, got NaN/],
  ['--rps Infinity', run('--rps', 'Infinity'), /--rps must be a number > 0, got Infinity/],
  ['--duration negative', run('--rps', '5', '--duration=-5s'), /duration "-5s": expected a duration/],
  ['--duration zero', run('--rps', '5', '--duration', '0s'), /--duration 0s: must be longer than zero/],
  ['--concurrency fractional', run('--concurrency', '1.5'), /--concurrency must be a positive integer, got 1.5/],
  ['--rps given twice, differently', run('--rps', '5', '--rps', '500'), /--rps was given 2 times \(5, 500\): give it once/],
  ['--duration given twice', run('--rps', '5', '--duration', '10s', '--duration=1h'), /--duration was given 2 times \("10s", "1h"\): give it once/],
  ['--client unknown', run('--rps', '5', '--client', 'grpc'), /--client "grpc": expected connection or native/],
  ['an address with a scheme', ['run', '--address', 'http://127.0.0.1:7233', '--rps', '5'], /--address "http:\/\/127\.0\.0\.1:7233": .*drop the scheme/],
  ['an address without a port', ['run', '--address', 'temporal.pnats.cloud', '--rps', '5'], /--address "temporal\.pnats\.cloud": expected host:port/],
  ['--out that is a file', run('--rps', '5', '--out', aFile), /--out .* is a file/],
  ['a baseline of another schema version', run('--rps', '5', '--baseline', otherVersion), /has schemaVersion 99; this bench reads 1/],
  // Other commands.
  ['compare: another schema version', ['compare', otherVersion, otherVersion], /has schemaVersion 99; this bench reads 1/],
  ['report: a directory with no result', ['report', files], /result\.json/],
  ['setup: a production namespace', ['setup', ...noServer, '--namespace', 'pnats'], /namespace pnats is production: pass --allow-production/],
  ['setup: a bad namespace name', ['setup', ...noServer, '--namespace', 'bad name!'], /--namespace "bad name!" is not a valid namespace name/],
  ['setup: retention in minutes', ['setup', ...noServer, '--retention', '90m'], /--retention 90m: expected whole hours/],
  ['worker: an address with a scheme', ['worker', '--address', 'grpc://127.0.0.1:7233', '--task-queue', 'bench-x'], /drop the scheme/],
  ['stack up: --tls-internode without --tls', ['stack', 'up', '--dir', path.join(files, 'stack'), '--tls-internode'], /--tls-internode needs --tls server or --tls mtls/],
  ['stack up: an unknown --tls mode', ['stack', 'up', '--dir', path.join(files, 'stack'), '--tls', 'on'], /^bench: --tls "on": expected one of off, server, mtls$/],
  ['--tls-ca that is not a certificate', run('--rps', '5', '--tls-ca', aFile), /--tls-ca \S+: not a PEM certificate/],
  ['--tls-cert without --tls-key', run('--rps', '5', '--tls-cert', aFile), /--tls-cert and --tls-key go together/],
  ['merge: nothing to merge', ['merge', path.join(files, 'none-1'), path.join(files, 'none-2'), '--out', path.join(files, 'merged')], /not found|no such|does not exist/i],
];

describe('hostile input: exit 2, one line naming what to change, nothing written', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases)(
    '%s',
    async (_name, args, message) => {
      const result = await runCli(args, { cwd, timeoutMs: 60_000 });
      expect(expectOneLineUsageError(result)).toMatch(message);
    },
    60_000,
  );

  it('wrote nothing and left the earlier results as they were', () => {
    expect(snapshot()).toEqual(before);
  });
});

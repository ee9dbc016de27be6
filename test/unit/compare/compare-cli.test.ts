import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineUsageError, runCli } from '../../helpers/cli.js';
import { syntheticResult, type SyntheticOptions } from '../../helpers/synthetic-result.js';

/** `bench compare` as a user runs it: a separate process on files in a temp directory. */
let dir: string;
const write = (name: string, o: SyntheticOptions, patch: (r: Record<string, unknown>) => void = () => {}) => {
  const r = syntheticResult(o) as unknown as Record<string, unknown>;
  patch(r);
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(r));
  return file;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));
  write('base.json', { seed: 1 });
  write('slow.json', { seed: 2, tailScale: 1.3 });
  write('fast.json', { seed: 3, latencyScale: 0.7 });
  write('v2.json', { seed: 4 }, (r) => (r.schemaVersion = 2));
  write('other.json', { seed: 5, scenario: 'ramp' });
  mkdirSync(path.join(dir, 'run-dir'));
  write(path.join('run-dir', 'result.json'), { seed: 6 });
});

const p = (name: string) => path.join(dir, name);

describe('bench compare', () => {
  it('+30% p99 is regressed: exit 99 and a Markdown table', async () => {
    const r = await runCli(['compare', p('base.json'), p('slow.json')]);
    expect(r.code, r.stderr).toBe(99);
    expect(r.stdout).toMatch(/## bench compare: .*regressed/);
    expect(r.stdout).toMatch(/end-to-end latency p99 \|.*regressed/);
  });

  it('--latency-floor: the same +30% tail is unchanged when moves under 1 s do not matter', async () => {
    const r = await runCli(['compare', p('base.json'), p('slow.json'), '--latency-floor', '1000', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const p99 = JSON.parse(r.stdout).metrics.find((m: { id: string }) => m.id === 'e2e.p99');
    expect(p99).toMatchObject({ verdict: 'unchanged', significant: true });
    expect(p99.delta).toBeGreaterThan(0.1);
  });

  it('−30% is improved (exit 0), as JSON written with --out; a run directory works as input', async () => {
    const out = p('cmp.json');
    const r = await runCli(['compare', p('run-dir'), p('fast.json'), '--format', 'json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.verdict).toBe('improved');
    expect(json.metrics.find((m: { id: string }) => m.id === 'e2e.p99').verdict).toBe('improved');
  });

  it('bad baselines: exit 2 with a one-line cause', async () => {
    expect(expectOneLineUsageError(await runCli(['compare', p('missing.json'), p('base.json')]))).toMatch(/baseline not found: .*missing\.json/);
    expect(expectOneLineUsageError(await runCli(['compare', p('v2.json'), p('base.json')]))).toMatch(/schemaVersion 2; this bench reads 1/);
    expect(expectOneLineUsageError(await runCli(['compare', p('other.json'), p('base.json')]))).toMatch(/scenario "ramp" differs .*--allow-different-scenario/);
    writeFileSync(p('garbage.json'), '{not json');
    expect(expectOneLineUsageError(await runCli(['compare', p('garbage.json'), p('base.json')]))).toMatch(/not valid JSON/);
    expect(expectOneLineUsageError(await runCli(['compare', p('base.json'), p('base.json'), '--tolerance', '-5']))).toMatch(/--tolerance must be/);
    expect(expectOneLineUsageError(await runCli(['compare', p('base.json'), p('base.json'), '--latency-floor', 'x']))).toMatch(/--latency-floor must be/);
  });

  it('--allow-different-scenario compares anyway and says so', async () => {
    const r = await runCli(['compare', p('other.json'), p('base.json'), '--allow-different-scenario']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('different scenarios');
  });
});

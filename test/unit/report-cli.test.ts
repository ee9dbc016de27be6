import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';
import { fixtureResult, fixtureServer, series, writeResultsDir } from '../helpers/report-fixtures.js';

describe('bench report', () => {
  it('regenerates report.html, summary.md and junit.xml from the files alone', async () => {
    const dir = writeResultsDir(fixtureResult(), fixtureServer({ rpc_rate: [series({ service_name: 'frontend', operation: 'X' }, 5)] }));
    const baselineDir = writeResultsDir(fixtureResult());
    const out = path.join(dir, 'out');
    const res = await runCli(['report', dir, '--baseline', path.join(baselineDir, 'result.json'), '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^FAIL: 1 of 2 thresholds failed/);
    for (const f of ['report.html', 'summary.md', 'junit.xml']) expect(fs.statSync(path.join(out, f)).size).toBeGreaterThan(100);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('baseline p99');
    expect(html).toContain('(baseline run-fixture-1)');
  });

  const bad: [string, (root: string) => string, RegExp][] = [
    ['a missing directory', (root) => path.join(root, 'nope'), /result not found: .*nope$/],
    ['a directory without result.json', (root) => root, /^bench: result not found: .*result\.json$/],
    ['malformed JSON', (root) => (fs.writeFileSync(path.join(root, 'result.json'), '{"schemaVersion": 1,'), root), /result\.json is not valid JSON/],
    ['a wrong schemaVersion', (root) => (fs.writeFileSync(path.join(root, 'result.json'), JSON.stringify({ ...fixtureResult({ intervals: 2 }), schemaVersion: 7 })), root), /has schemaVersion 7; this bench reads 1$/],
  ];
  it.each(bad)('rejects %s with exit 2 and one line', async (_what, setup, message) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-report-bad-'));
    expect(expectOneLineUsageError(await runCli(['report', setup(root)]))).toMatch(message);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.js';
import { gateAgainstBaseline } from '../../../compare/gate.js';
import { syntheticResult, type SyntheticOptions } from '../../helpers/synthetic-result.js';

function runDir(root: string, name: string, o: SyntheticOptions): string {
  const dir = path.join(root, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(syntheticResult(o)));
  return dir;
}

describe('gateAgainstBaseline (the `bench run --baseline FILE --gate` step)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bench-gate-'));
  const baseline = path.join(runDir(root, 'base', { seed: 21 }), 'result.json');

  it('a slower run fails the gate with exit 99 and leaves compare.json/compare.md in the run directory', () => {
    const dir = runDir(root, 'slow', { seed: 22, latencyScale: 1.3 });
    const g = gateAgainstBaseline(dir, baseline);
    expect(g.verdict).toBe('regressed');
    expect(g.exitCode).toBe(99);
    expect(g.markdown).toContain('regressed');
    expect(JSON.parse(readFileSync(path.join(dir, 'compare.json'), 'utf8')).verdict).toBe('regressed');
    expect(existsSync(path.join(dir, 'compare.md'))).toBe(true);
  });

  it('an equivalent run passes with exit 0', () => {
    const g = gateAgainstBaseline(runDir(root, 'same', { seed: 23 }), baseline, { write: false });
    expect(g.verdict).toBe('unchanged');
    expect(g.exitCode).toBe(0);
  });

  it('a missing baseline is a UsageError (exit 2)', () => {
    expect(() => gateAgainstBaseline(path.join(root, 'same'), path.join(root, 'nope.json'))).toThrow(UsageError);
  });
});

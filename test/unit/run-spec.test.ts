import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { runCommand, runSpecFromFlags } from '../../cli/commands/run.js';
import { RUN_DEFAULTS, runSpec } from '../../runner/run-spec.js';

/** `bench run`'s flags parsed as the CLI parses them, then mapped to a RunSpec. */
function specOf(argv: string[]) {
  const y = (runCommand.builder as (y: Argv) => Argv)(yargs(argv).strict());
  return runSpecFromFlags(y.parseSync() as unknown as Parameters<typeof runSpecFromFlags>[0]);
}

describe('RunSpec', () => {
  it('takes RUN_DEFAULTS for what is not given, also when given as undefined', () => {
    const spec = runSpec({ connection: {}, maxRps: undefined, generatorProcess: 'fork' });
    expect(spec).toEqual({ ...RUN_DEFAULTS, connection: {}, generatorProcess: 'fork' });
  });

  it('bench run without flags runs with RUN_DEFAULTS', () => {
    expect(specOf([])).toMatchObject(RUN_DEFAULTS);
  });

  it('maps the flags to the spec, connection flags apart from --stack-dir', () => {
    const spec = specOf(['--address', 'h:7233', '--tls', '--stack-dir', 'S', '--max-lag-ms', '40', '--threshold', 'a=p(99)<1', '--fault', 'f', '--run-id', 'r1', '--collect-e2e']);
    expect(spec).toMatchObject({ stackDir: 'S', maxLagMs: 40, thresholds: ['a=p(99)<1'], faults: ['f'], runId: 'r1', collectE2E: true });
    expect(spec.connection).toMatchObject({ address: 'h:7233', tls: true });
    expect(spec.connection).not.toHaveProperty('stack-dir');
  });
});

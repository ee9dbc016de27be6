import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage, entrypoint, runImage } from '../helpers/container.js';
import { hlogCounts, processesWithMark, readResult } from './run-helpers.js';

const stack = inject('stack');

/**
 * The container image as Kubernetes and docker-compose run it: built from the Containerfile by buildah
 * on a Node 20 base made with debootstrap (no registry), entrypoint `tini -- bench`, non-root user,
 * on the host network against the test stack.
 */
describe('the container image', () => {
  let image: string;
  beforeAll(() => {
    image = buildImage('localhost/temporal-bench:test');
  }, 1_500_000);

  it('runs bench under tini as a non-root user', async () => {
    expect(entrypoint(image)).toEqual(['tini', '--', 'bench']);
    const version = await runImage(image, ['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^temporal-bench \d+\.\d+\.\d+ \(/);
  }, 120_000);

  it('a 10-second bench run against the test stack writes a complete result.json', async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-image-out-'));
    fs.chmodSync(host, 0o1777); // the image's user (uid 10001) writes here
    const mark = `image-${process.pid}`;
    // The image is under test, not this shared 2-core box's timer precision (see installed-package.test.ts).
    const run = await runImage(image, ['run', '--address', stack.frontendAddress, '--rps', '5', '--duration', '10s', '--max-lag-ms', '250', '--out', '/out/run'], {
      volumes: [`${host}:/out`],
      env: { BENCH_TEST_MARK: mark },
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const out = path.join(host, 'run');
    const r = readResult(out);
    expect(r.status).toBe('completed');
    expect(r.summary.startedOk).toBe(50);
    expect(r.summary.reconciliation).toMatchObject({ completed: 50, unaccounted: 0 });
    expect(hlogCounts(path.join(out, r.hlogFile!)).e2e).toBe(50);
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(true);
    expect(fs.statSync(path.join(out, 'result.json')).uid).toBe(10001);
    expect(processesWithMark(mark)).toEqual([]);
  }, 300_000);
});

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectOneLineUsageError, runCli } from '../helpers/cli.js';

/**
 * `bench run --grafana-url`: real runs against the shared stack. Grafana itself is not installable on
 * this machine (no Debian package, no registry), so the receiving end is a small HTTP server that
 * records what Grafana's annotation API (POST /api/annotations, bearer token) would get.
 */
const stack = inject('stack');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-grafana-'));
const received: { auth?: string; body: { time: number; timeEnd?: number; tags: string[]; text: string } }[] = [];
let grafana: http.Server;
let url = '';

beforeAll(async () => {
  grafana = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/annotations') return void res.writeHead(404).end();
      if (req.headers.authorization !== 'Bearer t0ken') return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
      received.push({ auth: req.headers.authorization, body: JSON.parse(body) as (typeof received)[number]['body'] });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: received.length, message: 'Annotation added' }));
    });
  });
  await new Promise<void>((r) => grafana.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}`;
});
afterAll(() => grafana.close());

const run = (out: string, extra: string[], env: NodeJS.ProcessEnv = process.env) =>
  runCli(['run', '--address', stack.frontendAddress, '--stack-dir', stack.dir, '--rps', '2', '--duration', '6s', '--out', path.join(scratch, out), ...extra], { env, timeoutMs: 90_000 });

describe('bench run --grafana-url', () => {
  it('posts the run as a region and each fired fault as a point, tagged for the dashboard, with the token', async () => {
    const result = await run('ok', ['--grafana-url', url, '--fault', 'at=2s,action=exec,cmd=true'], { ...process.env, GRAFANA_TOKEN: 't0ken' });
    expect(result.code, result.stderr.slice(-1500)).toBe(0);
    expect(result.stderr).toMatch(/grafana: 2 annotations posted to http:\/\/127\.0\.0\.1:\d+/);
    const file = JSON.parse(fs.readFileSync(path.join(scratch, 'ok', 'result.json'), 'utf8')) as { runId: string; startedAt: string; endedAt: string; faults: { firedAtS: number }[] };
    const [region, fault] = received.map((r) => r.body);
    expect(region).toMatchObject({ time: Date.parse(file.startedAt), timeEnd: Date.parse(file.endedAt), tags: expect.arrayContaining(['temporal-bench', `run:${file.runId}`, 'run']) });
    expect(region!.text).toMatch(/2\/s intended, [\d.]+\/s achieved, e2e p99 \d+ ms; thresholds passed/);
    expect(fault).toMatchObject({ time: Math.round(Date.parse(file.startedAt) + file.faults[0]!.firedAtS * 1000), tags: expect.arrayContaining(['temporal-bench', 'fault']) });
    expect(fault!.text).toMatch(/^fault: exec exec/);
  }, 120_000);

  it('fails soft: no token (401) or no Grafana costs one warning line, and the run and its exit code stand', async () => {
    const noToken = await run('no-token', ['--grafana-url', url], { ...process.env, GRAFANA_TOKEN: '' });
    expect(noToken.code, noToken.stderr.slice(-1500)).toBe(0);
    expect(noToken.stderr.match(/^.*grafana: .*$/gm)).toEqual([expect.stringMatching(/warning: grafana: 1 of 1 annotations not posted to .*: 401 \(set GRAFANA_TOKEN/)]);
    // A privileged port outside the ephemeral range: a port freed by `listen(0)` can be handed to the next
    // ephemeral bind (the run's own worker-stats server answered 404 there once), while nothing here binds port 2.
    const closed = 2;
    const down = await run('down', ['--grafana-url', `http://127.0.0.1:${closed}`]);
    expect(down.code, down.stderr.slice(-1500)).toBe(0);
    expect(down.stderr.match(/^.*grafana: .*$/gm)).toEqual([expect.stringMatching(/warning: grafana: 1 of 1 annotations not posted to .*ECONNREFUSED/)]);
    expect(fs.existsSync(path.join(scratch, 'down', 'report.html'))).toBe(true);
  }, 180_000);

  it('a URL that is not http(s) is a usage error before any load', async () => {
    expect(expectOneLineUsageError(await run('bad', ['--grafana-url', 'ftp://grafana']))).toMatch(/--grafana-url "ftp:\/\/grafana": expected an http:\/\/ or https:\/\/ URL/);
    expect(fs.existsSync(path.join(scratch, 'bad', 'result.json'))).toBe(false);
  });
});

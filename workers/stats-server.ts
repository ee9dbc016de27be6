import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { E2EStore } from './e2e-store.js';

/**
 * The supervisor's HTTP endpoint: GET /e2e?taskQueue=Q&afterSeq=N[&totals=counts] returns an E2ESnapshot
 * (see stats-client.ts; totals=counts leaves out the whole-run histogram); GET /health lists the worker
 * processes. Read-only and cheap.
 */
export async function serveStats(store: E2EStore, describe: () => unknown, host: string, port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stats');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET') return json(405, { error: 'GET only' });
    if (url.pathname === '/health') return json(200, describe());
    if (url.pathname !== '/e2e') return json(404, { error: 'try /e2e?taskQueue=Q&afterSeq=N or /health' });
    const taskQueue = url.searchParams.get('taskQueue');
    const afterSeq = Number(url.searchParams.get('afterSeq') ?? 0);
    if (!taskQueue || !Number.isInteger(afterSeq) || afterSeq < 0) return json(400, { error: 'taskQueue is required; afterSeq must be a non-negative integer' });
    json(200, store.snapshot(taskQueue, afterSeq, url.searchParams.get('totals') !== 'counts'));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    // Graceful: a response being written (e.g. to the reader whose GET ended a --linger) is finished,
    // idle keep-alive connections close now, anything else is cut after a second.
    close: () =>
      new Promise((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 1000).unref();
        server.close(() => (clearTimeout(force), resolve()));
        server.closeIdleConnections();
      }),
  };
}

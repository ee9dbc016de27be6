import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { E2ERecorder } from './e2e-recorder.js';

const esc = (v: string) => v.replace(/["\\\n]/g, '_');

/**
 * A worker process's own Prometheus endpoint: CPU and RSS of the process (the SDK's endpoint has
 * neither) and the finished-workflow counters the completion sink sees.
 */
export function renderProcessMetrics(recorder: E2ERecorder, taskQueue: string): string {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const tq = `task_queue="${esc(taskQueue)}"`;
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
  };
  metric('bench_worker_process_cpu_seconds_total', 'counter', 'CPU time of the worker process', [
    ['mode="user"', cpu.user / 1e6],
    ['mode="system"', cpu.system / 1e6],
  ]);
  metric('bench_worker_process_resident_memory_bytes', 'gauge', 'resident set size of the worker process', [['', mem.rss]]);
  metric('bench_worker_process_heap_used_bytes', 'gauge', 'V8 heap in use', [['', mem.heapUsed]]);
  const t = recorder.totals;
  metric('bench_worker_workflows_finished_total', 'counter', 'workflows (not children) finished on this process, by status', [
    [`${tq},status="completed"`, t.completed],
    [`${tq},status="failed"`, t.failed],
    [`${tq},status="canceled"`, t.canceled],
  ]);
  metric('bench_worker_child_workflows_finished_total', 'counter', 'child workflows finished on this process', [[tq, t.children]]);
  return `${lines.join('\n')}\n`;
}

export async function serveProcessMetrics(recorder: E2ERecorder, taskQueue: string, host: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderProcessMetrics(recorder, taskQueue));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeHistogram, mergeEncoded } from '../../metrics/histogram.js';
import { targetsDir } from '../../stack/prometheus.js';
import { startWorkerPool, type WorkerPool } from '../../workers/pool.js';
import { fetchE2E, type E2ESnapshot } from '../../workers/stats-client.js';
import { benchClient, pollUntil, runWorkflows, startWorkerCli, type RunningWorkerCli } from '../helpers/bench-worker-cli.js';
import { queryPrometheus, waitForPrometheus } from '../helpers/prometheus.js';

const stack = inject('stack');
const run = `${process.pid}-${Date.now()}`;

let client: Client;
let closeClient: () => Promise<void>;
beforeAll(async () => ({ client, close: closeClient } = await benchClient(stack.frontendAddress)));
afterAll(async () => closeClient?.());

describe('bench worker --processes 2 (CLI)', () => {
  const taskQueue = `worker-cli-${run}`;
  let cli: RunningWorkerCli;
  let started = 0;

  beforeAll(async () => {
    cli = await startWorkerCli(['--address', stack.frontendAddress, '--task-queue', taskQueue, '--processes', '2', '--stack-dir', stack.dir]);
  });
  afterAll(async () => {
    if (cli?.child.exitCode === null) cli.child.kill('SIGKILL');
  });

  it('both processes complete work, and their end-to-end latencies merge into one histogram of every completed workflow', async () => {
    expect(cli.info.processes).toHaveLength(2);
    // Which process takes a workflow task is the server's choice; add batches until both have some.
    let snapshot: E2ESnapshot;
    for (;;) {
      started += await runWorkflows(client, taskQueue, `${taskQueue}-${started}`, 40);
      snapshot = await pollUntil('every completion in the stats', async () => {
        const s = await fetchE2E(cli.info.statsUrl, taskQueue);
        return s.totals.completed === started ? s : undefined;
      });
      if (Object.keys(snapshot.totals.byProcess).length === 2 || started >= 200) break;
    }
    expect(snapshot.totals).toMatchObject({ completed: started, failed: 0, canceled: 0 });
    const perProcess = Object.entries(snapshot.totals.byProcess);
    expect(perProcess.map(([id]) => id).sort()).toEqual(cli.info.processes.map((p) => p.id).sort());
    for (const [, count] of perProcess) expect(count).toBeGreaterThan(0);
    expect(perProcess.reduce((sum, [, n]) => sum + n, 0)).toBe(started);

    // The per-second intervals (contiguous, each from both processes) merge to the same totals.
    const seqs = snapshot.intervals.map((i) => i.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const merged = mergeEncoded(snapshot.intervals.map((i) => i.histogram));
    expect(merged.totalCount).toBe(started);
    expect(snapshot.intervals.reduce((sum, i) => sum + i.completed, 0)).toBe(started);
    const total = decodeHistogram(snapshot.totals.histogram!);
    expect(total.totalCount).toBe(started);
    // Microseconds, from server start to completion: positive and under a minute here.
    expect(total.minNonZeroValue).toBeGreaterThan(0);
    expect(total.maxValue).toBeLessThan(60_000_000);

    // afterSeq returns only newer intervals.
    const last = seqs[seqs.length - 1]!;
    const newer = await fetchE2E(cli.info.statsUrl, taskQueue, last);
    expect(newer.intervals.every((i) => i.seq > last)).toBe(true);
  });

  it('SDK metrics of both processes reach the local Prometheus and count the completed workflows', async () => {
    const url = stack.prometheusUrl!;
    const query = `sum by (worker_process) (temporal_workflow_completed{task_queue="${taskQueue}", endpoint="sdk"})`;
    const series = await waitForPrometheus(`temporal_workflow_completed for ${taskQueue}`, async () => {
      const result = await queryPrometheus(url, query);
      const sum = result.reduce((s, r) => s + Number(r.value[1]), 0);
      return result.length === 2 && sum === started ? result : undefined;
    });
    expect(series.map((s) => s.metric.worker_process).sort()).toEqual(cli.info.processes.map((p) => p.id).sort());
    const slots = await queryPrometheus(url, `temporal_worker_task_slots_available{task_queue="${taskQueue}", worker_type="WorkflowWorker"}`);
    expect(slots.length).toBeGreaterThanOrEqual(2);
  });

  it('process CPU and RSS of both processes reach the local Prometheus', async () => {
    const url = stack.prometheusUrl!;
    const rss = await waitForPrometheus('bench_worker_process_resident_memory_bytes', async () => {
      const result = await queryPrometheus(url, `bench_worker_process_resident_memory_bytes{task_queue_name="${taskQueue}"}`);
      return result.length === 2 ? result : undefined;
    });
    for (const s of rss) expect(Number(s.value[1])).toBeGreaterThan(10_000_000);
    const cpu = await queryPrometheus(url, `sum by (worker_process) (bench_worker_process_cpu_seconds_total{task_queue_name="${taskQueue}"})`);
    expect(cpu).toHaveLength(2);
    for (const s of cpu) expect(Number(s.value[1])).toBeGreaterThan(0);
    const finished = await waitForPrometheus('bench_worker_workflows_finished_total', async () => {
      const result = await queryPrometheus(url, `sum(bench_worker_workflows_finished_total{task_queue_name="${taskQueue}", status="completed"})`);
      return Number(result[0]?.value[1]) === started ? result : undefined;
    });
    expect(finished).toHaveLength(1);
  });

  it('SIGINT drains the workers, exits 0 and removes the Prometheus targets', async () => {
    const files = () => fs.readdirSync(targetsDir(stack.dir)).filter((f) => cli.info.processes.some((p) => f.startsWith(`worker-${p.pid}-`)));
    expect(files()).toHaveLength(4);
    expect(await cli.interrupt()).toBe(0);
    expect(files()).toEqual([]);
    for (const p of cli.info.processes) expect(() => process.kill(p.pid, 0)).toThrow();
  });
});

describe('startWorkerPool (the runner API)', () => {
  const taskQueue = `worker-pool-${run}`;
  let pool: WorkerPool;
  afterAll(async () => pool?.stop());

  it('resolves once polling, and drain() flushes the last interval so every completion is counted', async () => {
    pool = await startWorkerPool({ connection: { address: stack.frontendAddress, namespace: 'bench' }, taskQueue, processes: 1, kinds: ['noop', 'activity'], workflowSlots: 4, sticky: false });
    expect(pool.processes).toHaveLength(1);
    const completed = await runWorkflows(client, taskQueue, taskQueue, 10);
    // No polling here: the completions of the current second reach the totals only through the final flush.
    await pool.drain();
    const snapshot = pool.snapshot(taskQueue);
    expect(snapshot.totals.completed).toBe(completed);
    expect(decodeHistogram(snapshot.totals.histogram!).totalCount).toBe(completed);
    expect(snapshot.totals.byProcess).toEqual({ [pool.processes[0]!.id]: completed });
    // The stats endpoint still serves after drain (a runner reads the final numbers), until stop().
    expect((await fetchE2E(pool.statsUrl, taskQueue)).totals.completed).toBe(completed);
    await pool.stop();
    await expect(fetchE2E(pool.statsUrl, taskQueue)).rejects.toThrow(/cannot reach the worker stats endpoint/);
  });
});

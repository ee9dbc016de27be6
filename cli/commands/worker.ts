import type { Argv, CommandModule } from 'yargs';
import { connectionOptions } from '../connection-options.js';
import type { ConnectionArgs } from '../../core/connection.js';
import { resolveClusterConnection } from '../../stack/tls-pickup.js';
import { UsageError } from '../../core/errors.js';
import { formatDuration, parseDurationMs } from '../../scenarios/duration.js';
import { defaultStackDir } from '../../stack/options.js';
import type { LingerOutcome } from '../../workers/pool.js';
import { requireRunningStack, stackHealth } from '../../stack/stack.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function workerOptions(y: Argv) {
  return connectionOptions(y).options({
    'task-queue': { type: 'string', demandOption: true, describe: 'task queue to poll' },
    processes: { type: 'number', default: 1, describe: 'worker processes (each: one Worker, one connection, one metrics endpoint)' },
    kinds: { type: 'string', array: true, describe: 'workflow kinds to register (default: all; see bench list)' },
    'workflow-slots': { type: 'number', describe: 'maxConcurrentWorkflowTaskExecutions per process' },
    'activity-slots': { type: 'number', describe: 'maxConcurrentActivityTaskExecutions per process' },
    'local-activity-slots': { type: 'number', describe: 'maxConcurrentLocalActivityExecutions per process' },
    'workflow-pollers': { type: 'number', describe: 'maxConcurrentWorkflowTaskPolls per process' },
    'activity-pollers': { type: 'number', describe: 'maxConcurrentActivityTaskPolls per process' },
    'max-cached-workflows': { type: 'number', describe: 'workflow cache size per process (0 disables sticky execution)' },
    sticky: { type: 'boolean', default: true, describe: 'sticky task queue (--no-sticky: cache 0, every task replays history)' },
    'sticky-timeout-ms': { type: 'number', describe: 'stickyQueueScheduleToStartTimeout' },
    'task-queue-activities-per-second': { type: 'number', describe: 'server-side activity dispatch limit for the task queue' },
    'worker-activities-per-second': { type: 'number', describe: 'activity limit per worker process' },
    'stats-port': { type: 'number', default: 0, describe: 'end-to-end latency stats endpoint port (0: any free port)' },
    host: { type: 'string', default: '127.0.0.1', describe: 'interface for the stats and metrics endpoints (0.0.0.0 for remote runners)' },
    'stack-dir': { type: 'string', describe: 'local stack whose Prometheus scrapes the workers (default: the default stack, if running)' },
    'core-log': { type: 'string', describe: "file for the SDK core's log entries, in full (default: bench-worker-<pid>-core.log in the temp dir); the terminal gets one summary line per 5 s" },
    linger: { type: 'string', default: '10s', describe: 'after draining on SIGINT/SIGTERM, keep serving stats until a reader has fetched every interval, at most this long' },
  });
}

type WorkerArgs = Awaited<ReturnType<ReturnType<typeof workerOptions>['parseAsync']>>;

/** The one line the supervisor logs when its linger ends. */
function lingerLine(l: LingerOutcome, lingerMs: number): string {
  const queues = l.queues.map((q) => `${q.taskQueue}: ${q.readUpTo >= q.lastSeq ? `seq 1..${q.lastSeq} read` : `read up to seq ${q.readUpTo} of ${q.lastSeq}`}`).join(', ') || 'no task queue';
  if (l.outcome === 'read') return `linger: a reader fetched every interval (${queues}); exiting`;
  if (l.outcome === 'timeout') return `linger: --linger ${formatDuration(lingerMs)} elapsed before a reader fetched every interval (${queues}); exiting`;
  return `linger: cut short by a second signal (${queues}); exiting`;
}

/** The local stack to register with: --stack-dir must be running; the default one only if it is. */
function localStack(args: WorkerArgs) {
  if (args['stack-dir']) return requireRunningStack(args['stack-dir']);
  const health = stackHealth(defaultStackDir());
  return health && health.dead.length === 0 && health.state.ready ? health.state : undefined;
}

export const workerCommand: CommandModule = {
  command: 'worker',
  describe: 'Run worker processes for the bench workflows; serve their end-to-end latency and metrics until SIGINT/SIGTERM',
  builder: workerOptions,
  handler: async (raw) => {
    const args = raw as unknown as WorkerArgs;
    const lingerMs = parseDurationMs(args.linger, '--linger');
    const connection = resolveClusterConnection(args as ConnectionArgs);
    const stack = localStack(args);
    if (!connection.address) {
      if (!stack) throw new UsageError(`no --address and no local stack running at ${defaultStackDir()}: run bench stack up or pass --address`);
      connection.address = stack.frontendAddress;
    }
    // Loaded on use: the SDK's native module would slow every other bench command's start.
    const { startWorkerPool } = await import('../../workers/pool.js');
    const pool = await startWorkerPool({
      connection,
      taskQueue: args['task-queue'],
      processes: args.processes,
      kinds: args.kinds?.flatMap((k) => k.split(',')).filter(Boolean),
      workflowSlots: args['workflow-slots'],
      activitySlots: args['activity-slots'],
      localActivitySlots: args['local-activity-slots'],
      workflowPollers: args['workflow-pollers'],
      activityPollers: args['activity-pollers'],
      maxCachedWorkflows: args['max-cached-workflows'],
      sticky: args.sticky,
      stickyScheduleToStartTimeoutMs: args['sticky-timeout-ms'],
      taskQueueActivitiesPerSecond: args['task-queue-activities-per-second'],
      workerActivitiesPerSecond: args['worker-activities-per-second'],
      statsPort: args['stats-port'],
      host: args.host,
      stackDir: stack?.prometheusUrl ? stack.dir : undefined,
      coreLogFile: args['core-log'],
      log,
    });
    // Machine-readable first line (a runner or test reads it), then the human summary on stderr.
    process.stdout.write(`${JSON.stringify({ statsUrl: pool.statsUrl, processes: pool.processes })}\n`);
    log(`workers on ${connection.address} namespace ${connection.namespace} task queue ${args['task-queue']}`);
    log(`end-to-end latency: ${pool.statsUrl}/e2e?taskQueue=${encodeURIComponent(args['task-queue'])}`);
    for (const p of pool.processes) log(`  pid ${p.pid}: SDK metrics ${p.sdkMetricsUrl}, process metrics ${p.metricsUrl}`);
    if (stack?.prometheusUrl) log(`registered with Prometheus ${stack.prometheusUrl}`);
    log(`SDK core warnings: every entry in ${pool.coreLogFile} (created on the first), a summary line here every 5 s`);

    let signalled = false;
    const skipLinger = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        if (!skipLinger.signal.aborted) log(`${signal} again: not waiting for readers`);
        skipLinger.abort();
        return;
      }
      signalled = true;
      log(`${signal}: draining workers`);
      void pool.drain();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    await pool.exited;
    // A runner pulls intervals about once a second: the last ones closed only now, at the drain.
    const lingered = signalled ? await pool.linger(lingerMs, skipLinger.signal) : undefined;
    if (lingered) log(lingerLine(lingered, lingerMs));
    // Machine-readable last line: what this supervisor saw finish, per task queue (final: every process exited).
    const queues = lingered?.queues ?? [{ taskQueue: args['task-queue'], lastSeq: undefined, readUpTo: undefined }];
    const taskQueues = Object.fromEntries(
      queues.map(({ taskQueue, lastSeq, readUpTo }) => {
        const { completed, failed, canceled, byProcess } = pool.snapshot(taskQueue).totals;
        return [taskQueue, { completed, failed, canceled, byProcess, lastSeq, readUpTo }];
      }),
    );
    process.stdout.write(`${JSON.stringify({ exit: { linger: lingered?.outcome ?? null, taskQueues } })}\n`);
    await pool.stop();
    if (!signalled) throw new Error('every worker process exited');
    log('workers stopped');
  },
};

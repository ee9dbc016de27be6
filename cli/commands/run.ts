import type { Argv, CommandModule } from 'yargs';
import { compareFlags, type CompareFlagValues } from '../../compare/options.js';
import { connectionFlags, connectionOptions } from '../connection-options.js';
import { UsageError } from '../../core/errors.js';
import { RUN_DEFAULTS, type GeneratorProcess, type RunSpec } from '../../runner/run-spec.js';
import type { Overflow } from '../../generator/open-model.js';
import type { ClientKind } from '../../generator/start-client.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function runOptions(y: Argv) {
  return compareFlags(connectionOptions(y)).options({
    baseline: { type: 'string', describe: 'a baseline result.json (or its dir): overlaid on the report spectrum; with --gate, compared' },
    gate: { type: 'boolean', default: false, describe: 'compare with --baseline after the run; exit 99 when anything regressed beyond tolerance' },
    'prometheus-url': { type: 'string', describe: "Prometheus to query for the report's server panels (default: the embedded stack's)" },
    'grafana-url': { type: 'string', describe: 'post the run window and its faults as annotations to this Grafana (token: env GRAFANA_TOKEN); a failure is one warning' },
    'scrape-interval': { type: 'string', describe: "Prometheus' scrape interval, e.g. 30s, for the report's rate window when Prometheus does not report one" },
    'rate-window': { type: 'string', describe: "range-vector window of the report's server rates, e.g. 2m (default: from the scrape interval, like Grafana's $__rate_interval)" },
    'drift-window': { type: 'string', describe: 'soak drift-check window, e.g. 5m (default 5m for the soak scenario, off otherwise)' },
    scenario: { type: 'string', describe: 'a ready scenario (bench list); default smoke when neither --rps, --concurrency nor --config is given' },
    config: { type: 'string', describe: 'JSON scenario file; with "extends": "<name>" it overrides a ready one' },
    rps: { type: 'number', describe: 'starts per second: constant-arrival-rate (open model); conflicts with non-constant executors' },
    duration: { type: 'string', describe: 'load duration, e.g. 20s, 5m (default 30s for --rps/--concurrency)' },
    concurrency: { type: 'number', describe: 'VUs of a closed model (constant-vus): start, wait for completion, repeat' },
    warmup: { type: 'string', describe: 'leading window excluded from statistics (overrides the scenario)' },
    cooldown: { type: 'string', describe: 'trailing window of the load excluded from statistics' },
    threshold: { type: 'string', array: true, describe: "k6 threshold, repeatable: 'start_latency=p(99)<500' (replaces the scenario's for that metric)" },
    'run-id': { type: 'string', describe: 'run id (workflow ids <run-id>-<n>, task queue bench-<run-id>); default generated' },
    out: { type: 'string', describe: 'output directory (default results/<run-id>); must not exist or be empty' },
    'hlog-segment': { type: 'string', default: RUN_DEFAULTS.hlogSegment, describe: 'start a new .hlog file every this much run time (soaks never grow one file without bound)' },
    'drain-timeout': { type: 'string', default: RUN_DEFAULTS.drainTimeout, describe: 'after the load (or Ctrl-C): wait this long for in-flight starts and workflows' },
    generators: { type: 'number', default: RUN_DEFAULTS.generators, describe: 'generator processes splitting the rate (phase-staggered); histograms merge exactly' },
    'generator-process': {
      type: 'string',
      default: RUN_DEFAULTS.generatorProcess,
      choices: ['auto', 'fork', 'inline'],
      describe: 'auto: one generator at a peak rate up to 100/s runs inside this process (cheaper at low rates); above, or with fork, each generator is its own process',
    },
    'in-flight-cap': { type: 'number', describe: "max concurrent start calls (default: the scenario's maxVUs, else 10000)" },
    overflow: { type: 'string', default: RUN_DEFAULTS.overflow, describe: 'at the in-flight cap: drop (counted, like k6 dropped_iterations) or queue' },
    'max-rps': { type: 'number', default: RUN_DEFAULTS.maxRps, describe: 'guardrail: refuse a peak rate above this without --allow-high-rate' },
    'allow-high-rate': { type: 'boolean', default: RUN_DEFAULTS.allowHighRate, describe: 'allow a peak rate above --max-rps' },
    'allow-production': { type: 'boolean', default: RUN_DEFAULTS.allowProduction, describe: 'allow namespaces outside the allow-list (production pnats)' },
    workers: { type: 'number', describe: 'worker processes bench run starts on the task queue (default 1; 0 with --worker-stats)' },
    'worker-stats': { type: 'string', array: true, describe: 'stats URL of external bench worker processes (repeatable): http://HOST:PORT, or dns+http://NAME:PORT for every pod of a headless Service' },
    client: { type: 'string', default: RUN_DEFAULTS.client, describe: 'start client: native (the Rust-core NativeConnection: cheaper per start, shorter lag tail; see npm run bench:generator) or connection (@temporalio/client Connection)' },
    'metrics-port': { type: 'number', default: RUN_DEFAULTS.metricsPort, describe: "port of the runner's own Prometheus /metrics (0: any free port)" },
    'max-lag-ms': { type: 'number', default: RUN_DEFAULTS.maxLagMs, describe: 'scheduling-lag p99 above this marks the run invalid (exit 98)' },
    'stack-dir': { type: 'string', describe: "embedded stack directory (no --address); with --address, the local stack --fault acts on (default: bench stack up's); env BENCH_RUN_STACK_DIR" },
    'stack-port': { type: 'number', default: RUN_DEFAULTS.stackPort, describe: 'embedded stack frontend port; internal P+1.., metrics P+10, Prometheus P+11' },
    'task-queue-activities-per-second': { type: 'number', describe: "workers' maxTaskQueueActivitiesPerSecond (a server-side dispatch limit for the run's task queue)" },
    'activity-slots': { type: 'number', describe: 'maxConcurrentActivityTaskExecutions of each worker process the run starts' },
    'stack-shards': { type: 'number', default: RUN_DEFAULTS.stackShards, describe: 'history shards of an embedded stack the run starts' },
    segment: { type: 'string', describe: 'run execution segment I of N (I/N): the arrivals n ≡ I (mod N) of the schedule; same --run-id everywhere, then bench merge' },
    'start-at': { type: 'string', describe: 'shared t0 of every segment: RFC 3339 time with a zone, or epoch ms (a segment ready later than t0 + 1 s is marked late)' },
    fault: {
      type: 'string',
      array: true,
      describe:
        "inject a fault during the load (repeatable): 'at=15s,action=kill|stop|pause|resume,target=server|frontend|history|matching|worker|prometheus[,replica=N][,restart-after=20s]' on a local stack, or 'at=15s,action=exec,cmd=COMMAND'",
    },
    'collect-e2e': { type: 'boolean', describe: "pull end-to-end latencies from --worker-stats (default: only segment 0, so a shared worker pool's completions count once)" },
  });
}

/** `bench run`'s flag values, as yargs parses them from runOptions. */
type RunFlags = ReturnType<typeof runOptions> extends Argv<infer T> ? T : never;

/** The flags a run is made of (the rest are the report's and the gate's: cli/run-finish.ts). */
export function runSpecFromFlags(f: RunFlags): RunSpec {
  return {
    connection: connectionFlags(f),
    scenario: f.scenario,
    config: f.config,
    rps: f.rps,
    duration: f.duration,
    concurrency: f.concurrency,
    warmup: f.warmup,
    cooldown: f.cooldown,
    thresholds: f.threshold,
    runId: f['run-id'],
    out: f.out,
    drainTimeout: f['drain-timeout'],
    hlogSegment: f['hlog-segment'],
    generators: f.generators,
    // planRun checks the strings yargs passes through (its messages name the flags).
    generatorProcess: f['generator-process'] as GeneratorProcess,
    inFlightCap: f['in-flight-cap'],
    overflow: f.overflow as Overflow,
    maxRps: f['max-rps'],
    allowHighRate: f['allow-high-rate'],
    allowProduction: f['allow-production'],
    workers: f.workers,
    workerStats: f['worker-stats'],
    client: f.client as ClientKind,
    metricsPort: f['metrics-port'],
    maxLagMs: f['max-lag-ms'],
    stackDir: f['stack-dir'],
    stackPort: f['stack-port'],
    stackShards: f['stack-shards'],
    taskQueueActivitiesPerSecond: f['task-queue-activities-per-second'],
    activitySlots: f['activity-slots'],
    segment: f.segment,
    startAt: f['start-at'],
    collectE2E: f['collect-e2e'],
    faults: f.fault,
  };
}

export const runCommand: CommandModule = {
  command: 'run',
  describe: 'Drive k6-style load (open or closed model) and record coordinated-omission-free latencies; exit 0 ok, 2 usage, 98 invalid run, 99 thresholds failed',
  builder: runOptions,
  handler: async (args) => {
    // Loaded on use: the runner pulls in the SDK, workers and the stack, which other commands don't need.
    const { planRun } = await import('../../runner/plan.js');
    const { executeRun } = await import('../../runner/run.js');
    const { afterRunOutputs, checkBaseline } = await import('../run-finish.js');
    const flags = args as unknown as RunFlags & CompareFlagValues;
    if (flags.gate && !flags.baseline) throw new UsageError('--gate needs --baseline FILE');
    const spec = runSpecFromFlags(flags);
    const plan = await planRun(spec);
    const finish = checkBaseline(plan, flags);
    // An invalid run (98) or failed thresholds (99) outrank the gate's verdict (99 on regression): runner/output.ts.
    process.exitCode = await executeRun(plan, spec.stackDir !== undefined || process.env.BENCH_RUN_STACK_DIR !== undefined, log, afterRunOutputs(finish, flags['prometheus-url'], log));
  },
};

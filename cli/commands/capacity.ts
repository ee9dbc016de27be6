import crypto from 'node:crypto';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { connectionFlags, connectionOptions } from '../connection-options.js';
import type { ConnectionArgs } from '../../core/connection.js';
import { UsageError } from '../../core/errors.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function capacityOptions(y: Argv) {
  return connectionOptions(y).options({
    slo: { type: 'string', array: true, default: ['workflow_e2e:p(99)<2000'], describe: 'k6 threshold that must hold at a sustainable rate, metric:expression (repeatable)' },
    scenario: { type: 'string', default: 'baseline', describe: 'workload mix (a ready scenario; its executor is replaced by each step rate)' },
    'start-rps': { type: 'number', default: 10, describe: 'first step rate' },
    'max-rps': { type: 'number', default: 200, describe: 'never start faster than this' },
    'step-factor': { type: 'number', default: 1.5, describe: 'ramp: each step multiplies the rate by this' },
    'step-duration': { type: 'string', default: '30s', describe: 'measured length of each step' },
    settle: { type: 'string', default: '10s', describe: 'time at each new rate before measuring (excluded from statistics)' },
    tolerance: { type: 'number', default: 0.1, describe: 'bisection stops when the good/bad gap is within this fraction' },
    'max-steps': { type: 'number', default: 12, describe: 'hard bound on steps (and so on run time)' },
    'error-storm': { type: 'number', default: 0.2, describe: 'stop the search at once when a step errors above this rate' },
    'max-error-rate': { type: 'number', default: 0.01, describe: 'a sustainable step stays under this error rate' },
    workers: { type: 'number', default: 1, describe: 'worker processes started for each step (0: external workers)' },
    'task-queue-activities-per-second': { type: 'number', describe: "workers' maxTaskQueueActivitiesPerSecond" },
    'activity-slots': { type: 'number', describe: 'maxConcurrentActivityTaskExecutions of each worker process' },
    config: { type: 'string', describe: 'JSON scenario reshaping the workload (e.g. its mix), extending --scenario' },
    'prometheus-url': { type: 'string', describe: "Prometheus for the evidence (default: the local stack's when --address is that stack)" },
    'drain-timeout': { type: 'string', default: '15s', describe: 'per step: wait this long for in-flight workflows, then terminate them' },
    out: { type: 'string', describe: 'output directory (default results/capacity-<id>)' },
    'allow-production': { type: 'boolean', default: false, describe: 'allow namespaces outside the allow-list' },
    'stack-dir': { type: 'string', describe: 'local stack to use when --address is not given; with --address, where to find the local stack serving it (its processes are sampled)' },
  });
}

type CapacityArgs = ConnectionArgs & Record<string, unknown>;

function positive(name: string, v: number, integer = false): number {
  if (!(v > 0) || (integer && !Number.isInteger(v))) throw new UsageError(`--${name} must be ${integer ? 'a positive integer' : '> 0'}, got ${v}`);
  return v;
}

export const capacityCommand: CommandModule = {
  command: 'capacity',
  describe: 'Find the highest sustainable start rate under an SLO (step up, then bisect) and name what limits it',
  builder: capacityOptions,
  handler: async (raw) => {
    const args = raw as unknown as CapacityArgs;
    const { parsePositiveDurationMs } = await import('../../scenarios/duration.js');
    const { runCapacity, sloToThreshold } = await import('../../capacity/run-capacity.js');
    const { renderCapacity } = await import('../../capacity/render.js');
    const { resolveCapacityTarget } = await import('../../capacity/target.js');
    const { defaultSearchOptions } = await import('../../capacity/search.js');
    const { defaultCriteria } = await import('../../capacity/judge.js');

    const startRps = positive('start-rps', args['start-rps'] as number);
    const maxRps = positive('max-rps', args['max-rps'] as number);
    if (startRps > maxRps) throw new UsageError(`--start-rps ${startRps} is above --max-rps ${maxRps}`);
    if (!((args['step-factor'] as number) > 1)) throw new UsageError(`--step-factor must be > 1, got ${args['step-factor']}`);
    const tolerance = positive('tolerance', args.tolerance as number);
    const maxSteps = positive('max-steps', args['max-steps'] as number, true);
    const stepMs = parsePositiveDurationMs(args['step-duration'] as string, '--step-duration');
    const settleMs = parsePositiveDurationMs(args.settle as string, '--settle');
    const slo = (args.slo as string[]).map(sloToThreshold);
    const target = await resolveCapacityTarget(connectionFlags(args), args['stack-dir'] as string | undefined, args['prometheus-url'] as string | undefined);
    const capacityId = `cap${new Date().toISOString().replace(/\D/g, '').slice(2, 12)}-${crypto.randomBytes(2).toString('hex')}`;
    const outDir = path.resolve((args.out as string | undefined) ?? path.join('results', capacityId));

    let stop = false;
    const onSignal = () => {
      stop = true;
      log('capacity: stopping after this step (Ctrl-C again to abort the step)');
    };
    process.once('SIGINT', onSignal);
    const report = await runCapacity(
      {
        settings: {
          connection: target.connection,
          scenario: args.scenario as string,
          stepDurationS: Math.round(stepMs / 1000),
          settleS: Math.round(settleMs / 1000),
          slo,
          workers: args.workers as number,
          taskQueueActivitiesPerSecond: args['task-queue-activities-per-second'] as number | undefined,
          activitySlots: args['activity-slots'] as number | undefined,
          config: args.config as string | undefined,
          stackDir: target.stackDir,
          drainTimeout: args['drain-timeout'] as string,
          maxRps,
          allowProduction: args['allow-production'] as boolean,
          outDir,
          capacityId,
        },
        search: {
          ...defaultSearchOptions,
          startRps,
          maxRps,
          stepFactor: args['step-factor'] as number,
          tolerance,
          maxSteps,
          errorStormRate: args['error-storm'] as number,
          criteria: { ...defaultCriteria, maxErrorRate: args['max-error-rate'] as number },
        },
        prometheusUrl: target.prometheusUrl,
      },
      log,
      () => stop,
    );
    process.off('SIGINT', onSignal);
    const files = renderCapacity(report, outDir);
    // The measured capacity as alerts for the team's Prometheus (bench alerts DIR rewrites them with other settings).
    const { writeAlertsFor } = await import('../../monitoring/alerts.js');
    files.push(...writeAlertsFor(outDir).files);
    const cause = report.limitingFactor;
    log(`capacity: max sustainable ${report.maxSustainableRps ?? 'none'}/s, first bad ${report.firstBadRps ?? 'none'}/s (${report.stoppedBecause}) in ${report.elapsedS}s over ${report.steps.length} steps`);
    log(`limiting factor: ${cause ? `${cause.title} -> ${cause.knob}` : report.firstBadReasons.join('; ') || 'none found'}`);
    log(`report: ${files.join(', ')}`);
    process.stdout.write(`${JSON.stringify({ maxSustainableRps: report.maxSustainableRps, firstBadRps: report.firstBadRps, limitingFactor: cause?.rule ?? null, elapsedS: report.elapsedS, outDir })}\n`);
  },
};

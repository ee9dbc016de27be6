import type { Argv } from 'yargs';
import { UsageError } from '../core/errors.js';
import { defaultAlpha, defaultTolerances, type CompareOptions } from './compare.js';

/**
 * Comparison flags shared by `bench compare` and (for the runner to reuse) `bench run --gate`, so
 * both spell tolerances the same way. Tolerances are given in percent / percentage points.
 */
export function compareFlags<T>(y: Argv<T>) {
  return y.options({
    tolerance: { type: 'number', default: defaultTolerances.latency * 100, describe: 'latency change (%) that counts as a regression when significant' },
    'throughput-tolerance': { type: 'number', default: defaultTolerances.throughput * 100, describe: 'throughput drop (%) that counts as a regression when significant' },
    'error-tolerance': { type: 'number', default: defaultTolerances.errorRate * 100, describe: 'error-rate rise (percentage points) that counts as a regression when significant' },
    'latency-floor': { type: 'number', default: defaultTolerances.latencyFloorMs, describe: 'latency changes smaller than this many ms never count, whatever their %' },
    alpha: { type: 'number', default: defaultAlpha, describe: 'family-wise significance level of the block-bootstrap test (Holm-corrected across metrics)' },
    'allow-different-scenario': { type: 'boolean', default: false, describe: 'compare runs of different scenarios' },
  });
}

export interface CompareFlagValues {
  tolerance: number;
  'throughput-tolerance': number;
  'error-tolerance': number;
  'latency-floor': number;
  alpha: number;
  'allow-different-scenario': boolean;
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new UsageError(`--${name} must be a number ≥ 0, got ${v}`);
  return v;
}

export function compareOptionsFromFlags(args: CompareFlagValues): CompareOptions {
  if (!(args.alpha > 0 && args.alpha < 0.5)) throw new UsageError(`--alpha must be between 0 and 0.5, got ${args.alpha}`);
  return {
    tolerances: {
      latency: nonNegative('tolerance', args.tolerance) / 100,
      throughput: nonNegative('throughput-tolerance', args['throughput-tolerance']) / 100,
      errorRate: nonNegative('error-tolerance', args['error-tolerance']) / 100,
      latencyFloorMs: nonNegative('latency-floor', args['latency-floor']),
    },
    alpha: args.alpha,
    allowDifferentScenario: args['allow-different-scenario'],
  };
}

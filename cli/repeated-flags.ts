import { UsageError } from '../core/errors.js';

/**
 * A scalar flag given twice with different values (`--rps 5 --rps 500`) is refused rather than resolved: against a
 * production cluster neither "first wins" nor "last wins" is safe to guess. yargs would hand the
 * command an array, which each parser reported differently (or crashed on). Flags declared as
 * arrays (--threshold, --fault, ...) repeat as intended.
 */
/** yargs passes its instance to a middleware as the second argument (its typings omit it). */
interface Parser {
  getOptions(): { array: string[]; alias: Record<string, string[]> };
}

export function refuseRepeatedFlags(argv: Record<string, unknown>, parser: Parser): void {
  const options = parser.getOptions();
  const arrays = new Set(options.array.flatMap((k) => [k, ...(options.alias[k] ?? [])]));
  const raw = process.argv.slice(2);
  const differ = (v: unknown) => Array.isArray(v) && new Set(v.map((x) => JSON.stringify(x))).size > 1;
  const repeated = Object.keys(argv).filter((k) => k !== '_' && !arrays.has(k) && Array.isArray(argv[k]));
  for (const k of repeated) if (!differ(argv[k])) argv[k] = (argv[k] as unknown[])[0];
  const conflicting = repeated.filter((k) => Array.isArray(argv[k]));
  if (conflicting.length === 0) return;
  // yargs also sets the camelCase twin of a dashed flag; name the one the user typed.
  const key = conflicting.find((k) => raw.some((a) => a === `--${k}` || a.startsWith(`--${k}=`))) ?? conflicting[0]!;
  const values = (argv[key] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
  throw new UsageError(`--${key} was given ${(argv[key] as unknown[]).length} times (${values}): give it once`);
}

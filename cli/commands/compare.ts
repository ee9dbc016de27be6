import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { compareFlags, compareOptionsFromFlags, type CompareFlagValues } from '../../compare/options.js';

interface Args extends CompareFlagValues {
  baseline: string;
  candidate: string;
  format: 'md' | 'json';
  out?: string;
  report: boolean;
}

export const compareCommand: CommandModule<object, Args> = {
  command: 'compare <baseline> <candidate>',
  describe: 'Compare two runs (result.json or run directories): improved / unchanged / regressed per metric; exit 99 on a regression',
  builder: (y) =>
    compareFlags(
      y
        .positional('baseline', { type: 'string', demandOption: true, describe: 'baseline result.json or run directory' })
        .positional('candidate', { type: 'string', demandOption: true, describe: 'candidate result.json or run directory' })
        .options({
          format: { choices: ['md', 'json'] as const, default: 'md' as const, describe: 'output format' },
          out: { type: 'string', describe: 'write the output to this file instead of stdout' },
          report: { type: 'boolean', default: false, describe: "regenerate the candidate's HTML report with the baseline overlaid on its spectrum" },
        }),
    ) as never,
  handler: async (args) => {
    // Loaded on use: `bench --help` and the other commands need none of it.
    const { compareResults, exitCodeFor } = await import('../../compare/compare.js');
    const { loadLocated } = await import('../../compare/load.js');
    const { renderComparisonMarkdown } = await import('../../compare/markdown.js');
    const { renderReportWithBaseline } = await import('../../compare/report-overlay.js');
    const baseline = loadLocated(args.baseline, 'baseline');
    const candidate = loadLocated(args.candidate, 'candidate');
    const comparison = compareResults(baseline, candidate, compareOptionsFromFlags(args));
    const text = args.format === 'json' ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparisonMarkdown(comparison, { baseline: baseline.result, candidate: candidate.result });
    if (args.out) writeFileSync(args.out, text);
    else process.stdout.write(text);
    if (args.report) {
      const html = await renderReportWithBaseline(candidate.path, baseline.path);
      process.stderr.write(`report with baseline overlay: ${html}\n`);
    }
    process.exitCode = exitCodeFor(comparison);
  },
};

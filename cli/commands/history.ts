import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/errors.js';

interface Args {
  dir: string;
  out?: string;
  json?: string;
  alpha: number;
}

export const historyCommand: CommandModule<object, Args> = {
  command: 'history <dir>',
  describe: 'Trend across runs under DIR (p99, throughput, errors per night) as one self-contained HTML file, change points flagged',
  builder: (y) =>
    y.positional('dir', { type: 'string', demandOption: true, describe: 'directory holding run directories (result.json files, up to 3 levels down)' }).options({
      out: { type: 'string', describe: 'HTML file to write (default DIR/history.html)' },
      json: { type: 'string', describe: 'also write the trend data and change points as JSON' },
      alpha: { type: 'number', default: 0.01, describe: 'significance level of the change-point permutation test' },
    }) as never,
  handler: async (args) => {
    if (!(args.alpha > 0 && args.alpha < 0.5)) throw new UsageError(`--alpha must be between 0 and 0.5, got ${args.alpha}`);
    // Loaded on use: `bench --help` and the other commands need none of it.
    const { buildHistory } = await import('../../history/history.js');
    const { renderHistoryHtml } = await import('../../history/html.js');
    const { percent } = await import('../../reports/format.js');
    const history = buildHistory(args.dir, { alpha: args.alpha });
    const out = args.out ?? path.join(args.dir, 'history.html');
    writeFileSync(out, renderHistoryHtml(history));
    if (args.json) writeFileSync(args.json, `${JSON.stringify(history, null, 2)}\n`);
    const runs = history.scenarios.reduce((a, s) => a + s.points.length, 0);
    const flagged = history.scenarios.flatMap((s) => Object.entries(s.changePoints).flatMap(([id, cps]) => cps.map((c) => `${s.scenario} ${id} before ${c.runId} (${percent(c.change)})`)));
    process.stdout.write(`${out}: ${runs} runs, ${history.scenarios.length} scenario(s), ${flagged.length} change point(s)${flagged.length ? `\n  ${flagged.join('\n  ')}` : ''}\n`);
  },
};

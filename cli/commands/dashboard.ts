import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/errors.js';

export const dashboardCommand: CommandModule<object, { out?: string }> = {
  command: 'dashboard',
  describe: "Print the Grafana dashboard JSON (harness, workers and server panels; import it into the team's Temporal folder)",
  builder: (y) => y.options({ out: { type: 'string', describe: 'write it to this file instead of stdout' } }),
  handler: async (args) => {
    const { grafanaDashboard } = await import('../../monitoring/dashboard.js');
    const text = `${JSON.stringify(grafanaDashboard(), null, 2)}\n`;
    if (!args.out) return void process.stdout.write(text);
    try {
      fs.writeFileSync(args.out, text);
    } catch (err) {
      throw new UsageError(`cannot write ${args.out}: ${(err as Error).message.split('\n')[0]}`);
    }
  },
};

import type { CommandModule } from 'yargs';
import { loadScenarios } from '../../scenarios/registry.js';
import { workflowKinds } from '../../catalog/kinds.js';
import { thresholdMetrics } from '../../recorder/thresholds.js';

export const listCommand: CommandModule = {
  command: 'list',
  describe: 'Workflow kinds (with their input parameters), ready scenarios and threshold metrics',
  builder: (y) => y.options({ json: { type: 'boolean', default: false, describe: 'print JSON' } }),
  handler: async (args) => {
    const scenarios = [...(await loadScenarios()).values()];
    if (args.json) {
      const metrics = Object.entries(thresholdMetrics).map(([name, m]) => ({ name, type: m.type, tags: m.tags, description: m.describe }));
      process.stdout.write(`${JSON.stringify({ kinds: workflowKinds, scenarios, thresholdMetrics: metrics }, null, 2)}\n`);
      return;
    }
    const out: string[] = ['Workflow kinds:'];
    for (const k of workflowKinds) {
      out.push(`  ${k.name.padEnd(16)} ${k.description}`);
      for (const p of k.params) out.push(`    ${p.name}: ${p.type}${p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : ''}  ${p.description}`);
    }
    out.push('', 'Scenarios:');
    for (const s of scenarios) out.push(`  ${s.name.padEnd(16)} ${s.executor.executor.padEnd(22)} ${s.description}`);
    out.push('', 'Threshold metrics:');
    for (const [name, m] of Object.entries(thresholdMetrics)) out.push(`  ${name.padEnd(20)} ${m.type.padEnd(8)} ${m.describe}${m.tags.length ? ` (tags: ${m.tags.join(', ')})` : ''}`);
    process.stdout.write(`${out.join('\n')}\n`);
  },
};

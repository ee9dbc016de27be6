import type { CommandModule } from 'yargs';

export const schemaCommand: CommandModule = {
  command: 'schema',
  describe: 'Print the JSON Schema of a scenario file (--config): point an editor at it ("$schema") to complete and check scenarios',
  builder: (y) => y,
  handler: async () => {
    const { scenarioJsonSchema } = await import('../../scenarios/schema.js');
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  },
};

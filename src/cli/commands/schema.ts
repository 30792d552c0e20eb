// `flow schema`: the JSON Schema of workflow files, for editors (the YAML language server) and CI.
import type { CommandModule } from 'yargs';

export const schemaCommand: CommandModule<object, object> = {
  command: 'schema',
  describe: 'Print the JSON Schema of the workflow format (for editor autocompletion)',
  builder: (y) =>
    y.example('$0 schema > flow.schema.json', 'then start workflows with: # yaml-language-server: $schema=./flow.schema.json'),
  handler: async () => {
    const { workflowJsonSchema } = await import('../../workflow/json-schema.js');
    process.stdout.write(`${JSON.stringify(workflowJsonSchema(), null, 2)}\n`);
    process.exitCode = 0;
  },
};

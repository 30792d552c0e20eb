// `flow graph WORKFLOW.yml`: the plan as text, Mermaid or Graphviz, without running anything.
import type { CommandModule } from 'yargs';

export interface GraphArgs {
  workflow: string;
  format: 'ascii' | 'mermaid' | 'dot';
}

export const graphCommand: CommandModule<object, GraphArgs> = {
  command: 'graph <workflow>',
  describe: 'Print the workflow as a graph (ascii, mermaid or dot)',
  builder: (y) =>
    y
      .positional('workflow', { type: 'string', demandOption: true, describe: 'Workflow YAML file' })
      .option('format', { type: 'string', choices: ['ascii', 'mermaid', 'dot'], default: 'ascii', describe: 'Output format' })
      .example('$0 graph wf.yml --format dot | dot -Tsvg > wf.svg', '') as never,
  handler: async (args) => {
    const [{ loadWorkflow }, { buildPlan }, { formatPlan }] = await Promise.all([
      import('../../run/load-workflow.js'),
      import('../../graph/build-plan.js'),
      import('../../graph/format-plan.js'),
    ]);
    // The shape of the graph does not depend on the notebooks: draw it even before they exist.
    const { workflow } = await loadWorkflow(args.workflow, { checkNotebooks: false });
    process.stdout.write(formatPlan(buildPlan(workflow), args.format));
    process.exitCode = 0;
  },
};

// `flow run`: run a workflow.
import type { CommandModule } from 'yargs';
import { withJupyterOptions } from '../jupyter-options.js';
import { withNotifyOptions } from '../notify-options.js';
import { withReportOptions } from '../report-options.js';
import type { RunArgs } from '../run-workflow.js';

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <workflow>',
  describe: 'Run a workflow of notebooks',
  builder: (y) =>
    withNotifyOptions(withReportOptions(withJupyterOptions(y)))
      .positional('workflow', { type: 'string', demandOption: true, describe: 'Workflow YAML file' })
      .option('param', { alias: 'p', type: 'string', array: true, describe: 'NAME=VALUE run parameter, typed as papermill does' })
      .option('raw', { alias: 'r', type: 'string', array: true, describe: 'NAME=VALUE run parameter, kept a string' })
      .option('params-file', { alias: 'f', type: 'string', array: true, describe: 'YAML file of run parameters' })
      .option('yaml', { alias: 'y', type: 'string', array: true, describe: 'Run parameters as a YAML mapping' })
      .option('secret', {
        alias: 's',
        type: 'string',
        array: true,
        describe: 'NAME=VALUE of a secret param (other users can see command lines: prefer FLOW_SECRET_NAME)',
      })
      .option('concurrency', { type: 'number', describe: "Nodes running at once. Default: the workflow's concurrency" })
      .option('runs-dir', { type: 'string', default: 'runs', describe: 'Where run directories go' })
      .option('only', { type: 'string', array: true, describe: 'Run only these nodes' })
      .option('from', { type: 'string', describe: 'Run this node and everything downstream of it' })
      .option('logical-date', {
        type: 'string',
        describe: 'The time the run is for, run.logical_date (ISO 8601, e.g. 2026-01-31T06:00Z). Default: now',
      })
      .option('dry-run', { type: 'boolean', describe: "Print the plan and each node's parameters; run nothing" })
      .example('$0 run workflows/hesa-return.yml -p period=P2', '')
      .example('$0 run workflows/quality-audits.yml --reporter plain --junit audits.xml', '') as never,
  handler: async (args) => {
    const { runWorkflowCommand } = await import('../run-workflow.js');
    process.exitCode = await runWorkflowCommand(args);
  },
};

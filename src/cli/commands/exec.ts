// `flow exec`: papermill's command line, so that a papermill user's scripts change by one word.
import type { CommandModule } from 'yargs';
import type { ExecArgs } from '../exec-notebook.js';
import { withJupyterOptions } from '../jupyter-options.js';

export const execCommand: CommandModule<object, ExecArgs> = {
  command: 'exec <input> [output]',
  describe: 'Execute one notebook, papermill-style (output defaults to INPUT.out.ipynb next to the input)',
  builder: (y) =>
    withJupyterOptions(y)
      .positional('input', { type: 'string', demandOption: true, describe: 'Notebook to run' })
      .positional('output', { type: 'string', describe: 'Where the executed notebook goes. Default: NAME.out.ipynb beside the input' })
      .option('parameters', {
        alias: 'p',
        type: 'string',
        nargs: 2,
        array: true,
        describe: 'NAME VALUE, typed as papermill does (True/False/None, int, float, else string)',
      })
      .option('parameters-raw', { alias: 'r', type: 'string', nargs: 2, array: true, describe: 'NAME VALUE, always a string' })
      .option('parameters-file', { alias: 'f', type: 'string', array: true, describe: 'YAML file of parameters' })
      .option('parameters-yaml', { alias: 'y', type: 'string', array: true, describe: 'Parameters as a YAML string' })
      .option('secret', {
        alias: 's',
        type: 'string',
        array: true,
        describe: 'Parameter NAME set as a secret, from $FLOW_SECRET_NAME (or NAME=VALUE: visible to other users)',
      })
      .option('prepare-only', { type: 'boolean', describe: 'Inject parameters and write the notebook without running it' })
      .option('report-mode', { type: 'boolean', describe: 'Hide code cell sources in the output notebook' })
      .option('cwd', { type: 'string', describe: "Kernel working directory. Default: the notebook's folder" })
      .option('kernel', { alias: 'k', type: 'string', describe: "Kernel name. Default: the notebook's kernelspec" })
      .option('execution-timeout', { type: 'number', describe: 'Seconds a cell may run before it is interrupted and fails' })
      .option('cell-timeout', { type: 'number', hidden: true })
      .option('start-timeout', { type: 'number', default: 60, describe: 'Seconds to wait for the kernel to start' })
      .option('log-output', { type: 'boolean', describe: "Print the notebook's output as it runs (to stderr)" })
      .example('$0 exec in.ipynb out.ipynb -p alpha 0.6 -p name "Poppleton"', '') as never,
  handler: async (args) => {
    const { runExec } = await import('../exec-notebook.js');
    process.exitCode = await runExec(args);
  },
};

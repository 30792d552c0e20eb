// `flow inspect NB.ipynb`: the parameters a notebook declares, as `papermill --help-notebook` shows them.
import type { CommandModule } from 'yargs';

export interface InspectArgs {
  notebook: string;
  json?: boolean;
}

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <notebook>',
  describe: "Show the parameters a notebook declares in its cell tagged 'parameters'",
  builder: (y) =>
    y
      .positional('notebook', { type: 'string', demandOption: true, describe: 'Notebook to inspect' })
      .option('json', { type: 'boolean', describe: 'Print JSON: {notebook, language, parametersCell, parameters}' })
      .example('$0 inspect notebooks/extract.ipynb', '') as never,
  handler: async (args) => {
    const [{ readNotebook, notebookKernel }, { inspectParameters, formatParameterHelp }, { findTaggedCell }] = await Promise.all([
      import('../../notebook/read-notebook.js'),
      import('../../notebook/inspect-parameters.js'),
      import('../../notebook/cells.js'),
    ]);
    const nb = await readNotebook(args.notebook);
    if (args.json) {
      const report = {
        notebook: args.notebook,
        language: notebookKernel(nb).language,
        parametersCell: findTaggedCell(nb, 'parameters') >= 0,
        parameters: inspectParameters(nb),
      };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(formatParameterHelp(args.notebook, nb));
    }
    process.exitCode = 0;
  },
};

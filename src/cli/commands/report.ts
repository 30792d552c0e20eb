// `flow report RUN [RUN...]`: a run's report.html written again, or one page comparing several runs.
import type { CommandModule } from 'yargs';
import type { FlowReportArgs } from '../write-report.js';

export const reportCommand: CommandModule<object, FlowReportArgs> = {
  command: 'report <runs..>',
  describe: 'Write the report page of a run (report.html in its directory), or one page comparing several runs',
  builder: (y) =>
    y
      .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'Run ids (or unique prefixes) or run directories' })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'Write the page here (default: <run dir>/report.html; for several runs, compare.html)',
      })
      .option('open', { type: 'boolean', default: false, describe: 'Open the page in the default browser' })
      .option('notebook-html', {
        type: 'boolean',
        default: true,
        describe: 'Render the executed notebooks to HTML (in <run dir>/html/) for the links',
      })
      .option('runs-dir', { type: 'string', default: 'runs', describe: 'Where runs are recorded' })
      .example('$0 report 20261126T103501Z-46cc --open', '')
      .example('$0 report P1-run P2-run P3-run -o returns.html', 'Compare runs side by side') as never,
  handler: async (args) => {
    const { writeReport } = await import('../write-report.js');
    process.exitCode = await writeReport(args);
  },
};

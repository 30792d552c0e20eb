// `flow resume`: repair a run — re-run what failed or never ran, reuse what succeeded.
import type { CommandModule } from 'yargs';
import { withJupyterOptions } from '../jupyter-options.js';
import { withNotifyOptions } from '../notify-options.js';
import { withReportOptions } from '../report-options.js';
import type { ResumeArgs } from '../run-workflow.js';

export const resumeCommand: CommandModule<object, ResumeArgs> = {
  command: 'resume <run>',
  describe: 'Repair a run: re-run failed, cancelled and never-run nodes (and what depends on them), reusing succeeded ones',
  builder: (y) =>
    withNotifyOptions(withReportOptions(withJupyterOptions(y)))
      .positional('run', { type: 'string', demandOption: true, describe: 'Run id (or unique prefix) or run directory' })
      .option('runs-dir', { type: 'string', default: 'runs', describe: 'Where runs are recorded' })
      .option('force', { type: 'boolean', describe: 'Resume even if the workflow changed in a way that breaks the run' })
      .option('concurrency', { type: 'number', describe: 'Nodes running at once' })
      .option('secret', {
        alias: 's',
        type: 'string',
        array: true,
        describe: 'NAME=VALUE of a secret param, needed again (it is never recorded; prefer FLOW_SECRET_NAME)',
      }) as never,
  handler: async (args) => {
    const { resumeCommand: resume } = await import('../run-workflow.js');
    process.exitCode = await resume(args);
  },
};

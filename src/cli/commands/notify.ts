// `flow notify --test WF.yml`: a test message through each of the workflow's channels.
import type { CommandModule } from 'yargs';
import { withNotifyOptions } from '../notify-options.js';
import type { NotifyCommandArgs } from '../notify-test.js';

export const notifyCommand: CommandModule<object, NotifyCommandArgs> = {
  command: 'notify <workflow>',
  describe: "Send a test message through each of a workflow's notification channels (--test)",
  builder: (y) =>
    withNotifyOptions(y)
      .positional('workflow', { type: 'string', demandOption: true, describe: 'Workflow YAML file' })
      .option('test', { type: 'boolean', default: false, describe: 'Send a test message through each channel and say what each answered' })
      .example('$0 notify --test workflows/hesa-return.yml', '') as never,
  handler: async (args) => {
    const { notifyTestCommand } = await import('../notify-test.js');
    process.exitCode = await notifyTestCommand(args);
  },
};

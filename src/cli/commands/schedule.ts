// `flow schedule WF.yml [WF2.yml ...]`: run workflows on their `schedule:` triggers, in the foreground.
import type { CommandModule } from 'yargs';
import type { ScheduleArgs } from '../schedule-command.js';

export const scheduleCommand: CommandModule<object, ScheduleArgs> = {
  command: 'schedule <workflows..>',
  describe: 'Run workflows on their schedule: triggers, as a foreground service (or --next, --status, --install)',
  builder: (y) =>
    y
      .positional('workflows', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Workflow YAML files with a schedule: section',
      })
      .option('runs-dir', { type: 'string', default: 'runs', describe: 'Where run directories go' })
      .option('store', { type: 'string', describe: 'The fire history (SQLite). Default: <runs-dir>/schedule.sqlite' })
      .option('grace', {
        type: 'string',
        default: '5m',
        describe: 'On SIGTERM or Ctrl-C, how long running runs may go on before they are cancelled',
      })
      .option('next', {
        type: 'number',
        describe: 'Print the next N fire times of each trigger, with the params each run would get; run nothing',
      })
      .option('status', {
        type: 'boolean',
        default: false,
        describe: "Print each trigger's last and next fire and the last run's outcome; run nothing",
      })
      .option('install', {
        choices: ['systemd', 'cron'] as const,
        describe: 'Print a systemd unit or crontab lines that keep this scheduler running',
      })
      .example('$0 schedule workflows/hesa-return.yml', 'Run until stopped')
      .example('$0 schedule --next 5 workflows/hesa-return.yml', '') as never,
  handler: async (args) => {
    const { scheduleCommandMain } = await import('../schedule-command.js');
    process.exitCode = await scheduleCommandMain(args);
  },
};

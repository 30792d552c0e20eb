// --notify and --notify-on: one-off notification channels for `flow run` and `flow resume`, added
// to the workflow's own `notify:` (read by notify-channels.ts, loaded only when a command runs).
import type { Argv } from 'yargs';

export interface NotifyArgs {
  notify?: string[];
  notifyOn?: string;
}

export function withNotifyOptions<T>(y: Argv<T>): Argv<T & NotifyArgs> {
  return y
    .option('notify', {
      type: 'string',
      array: true,
      describe: 'Also notify: email:ADDRESS[,ADDRESS…], or slack:VAR, teams:VAR, json:VAR (the webhook URL is read from $VAR)',
      group: 'Notifications:',
    })
    .option('notify-on', {
      type: 'string',
      // The words of workflow/notify-kinds.ts, written out: --help loads nothing of the workflow layer.
      describe: 'When --notify channels are used: failure, success, always, recovered (comma-separated). Default: failure',
      group: 'Notifications:',
    }) as Argv<T & NotifyArgs>;
}

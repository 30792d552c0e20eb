// `flow notify --test`: loads the workflow, sends a test message through each channel, prints
// what each answered. Exit 0 when every one was sent, 1 when one was not.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { testChannels } from '../notify/notify-run.js';
import { loadWorkflow } from '../workflow/load-workflow.js';
import { notifyChannels } from './notify-channels.js';
import type { NotifyArgs } from './notify-options.js';

export interface NotifyCommandArgs extends NotifyArgs {
  workflow: string;
  test: boolean;
}

export async function notifyTestCommand(args: NotifyCommandArgs): Promise<number> {
  if (!args.test) throw new UsageError('flow notify only sends test messages for now: add --test');
  const { workflow } = await loadWorkflow(resolve(args.workflow));
  const channels = [...(workflow.notify ?? []), ...notifyChannels(args)];
  if (channels.length === 0) {
    throw new UsageError(
      `${args.workflow} has no notify: section`,
      'add one (see "Notifications" in README.md), or name channels with --notify',
    );
  }
  const results = await testChannels(workflow, channels, { env: process.env });
  for (const r of results) {
    process.stdout.write(r.ok ? `✔ ${r.channel}: ${r.answer}\n` : `✖ ${r.channel}: ${r.error}\n`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

// The channels --notify and --notify-on name, as NotifyChannels.
import { UsageError } from '../errors.js';
import { DEFAULT_NOTIFY_TIMEOUT_MS, notifyEvents, webhookFormats } from '../workflow/notify-kinds.js';
import type { NotifyChannel, NotifyOn } from '../workflow/types.js';
import type { NotifyArgs } from './notify-options.js';

/** The channels --notify names; a malformed one is a usage error. */
export function notifyChannels(args: NotifyArgs): NotifyChannel[] {
  const on = (args.notifyOn ?? 'failure').split(',').map((s) => s.trim()) as NotifyOn[];
  for (const o of on) {
    if (!(notifyEvents as readonly string[]).includes(o)) throw new UsageError(`--notify-on ${o}: not one of ${notifyEvents.join(', ')}`);
  }
  return (args.notify ?? []).map((spec) => {
    const colon = spec.indexOf(':');
    const kind = colon < 0 ? spec : spec.slice(0, colon);
    const target = colon < 0 ? '' : spec.slice(colon + 1).trim();
    const hint = 'write email:ops@example.ac.uk, or slack:VAR, teams:VAR or json:VAR with the webhook URL in $VAR';
    if (!target) throw new UsageError(`--notify ${spec}: says where to send nothing`, hint);
    if (kind === 'email') {
      const to = target.split(',').map((a) => a.trim());
      const bad = to.find((a) => !/^[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+$/.test(a));
      if (bad !== undefined) throw new UsageError(`--notify ${spec}: "${bad}" is not a mail address`, hint);
      return { name: `email ${to.join(', ')}`, on, email: { to, cc: [] }, timeoutMs: DEFAULT_NOTIFY_TIMEOUT_MS };
    }
    const format = kind === 'webhook' ? 'json' : kind;
    if (!(webhookFormats as readonly string[]).includes(format)) throw new UsageError(`--notify ${spec}: unknown channel "${kind}"`, hint);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(target)) {
      throw new UsageError(
        `--notify ${spec}: "${target}" is not an environment variable's name`,
        'the URL itself is a credential: put it in a variable and name the variable',
      );
    }
    return {
      name: `webhook $${target} (${format})`,
      on,
      webhook: { urlEnv: target, format: format as (typeof webhookFormats)[number] },
      timeoutMs: DEFAULT_NOTIFY_TIMEOUT_MS,
    };
  });
}

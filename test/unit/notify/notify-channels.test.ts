// --notify and --notify-on (src/cli/notify-channels.ts): one-off channels, and the usage errors of malformed ones.
import { describe, expect, it } from 'vitest';
import { notifyChannels } from '../../../src/cli/notify-channels.js';
import { UsageError } from '../../../src/errors.js';

const HINT = 'write email:ops@example.ac.uk, or slack:VAR, teams:VAR or json:VAR with the webhook URL in $VAR';

function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('no UsageError');
}

describe('notifyChannels', () => {
  it('none without --notify', () => {
    expect(notifyChannels({})).toEqual([]);
    expect(notifyChannels({ notifyOn: 'success' })).toEqual([]);
  });

  it('email to one or more addresses, on failure by default', () => {
    expect(notifyChannels({ notify: ['email:a@b.c, d@e.f'] })).toEqual([
      { name: 'email a@b.c, d@e.f', on: ['failure'], email: { to: ['a@b.c', 'd@e.f'], cc: [] }, timeoutMs: 10_000 },
    ]);
  });

  it('slack, teams, json and webhook (json) read their URL from a variable', () => {
    const channels = notifyChannels({
      notify: ['slack:SLACK_URL', 'teams:TEAMS_URL', 'json:JSON_URL', 'webhook:_HOOK2'],
      notifyOn: 'failure, recovered',
    });
    expect(channels).toEqual([
      {
        name: 'webhook $SLACK_URL (slack)',
        on: ['failure', 'recovered'],
        webhook: { urlEnv: 'SLACK_URL', format: 'slack' },
        timeoutMs: 10_000,
      },
      {
        name: 'webhook $TEAMS_URL (teams)',
        on: ['failure', 'recovered'],
        webhook: { urlEnv: 'TEAMS_URL', format: 'teams' },
        timeoutMs: 10_000,
      },
      {
        name: 'webhook $JSON_URL (json)',
        on: ['failure', 'recovered'],
        webhook: { urlEnv: 'JSON_URL', format: 'json' },
        timeoutMs: 10_000,
      },
      { name: 'webhook $_HOOK2 (json)', on: ['failure', 'recovered'], webhook: { urlEnv: '_HOOK2', format: 'json' }, timeoutMs: 10_000 },
    ]);
  });

  it('every --notify-on value', () => {
    for (const on of ['failure', 'success', 'always', 'recovered'] as const) {
      expect(notifyChannels({ notify: ['json:X'], notifyOn: on })[0]!.on).toEqual([on]);
    }
  });

  it('a channel that says where to send nothing', () => {
    for (const spec of ['email', 'email:', 'slack: ', 'json']) {
      const e = usageError(() => notifyChannels({ notify: [spec] }));
      expect(e.message).toBe(`--notify ${spec}: says where to send nothing — ${HINT}`);
      expect(e.exitCode).toBe(2);
    }
  });

  it('an address that is not one', () => {
    expect(usageError(() => notifyChannels({ notify: ['email:a@b.c,ops'] })).message).toBe(
      `--notify email:a@b.c,ops: "ops" is not a mail address — ${HINT}`,
    );
    expect(usageError(() => notifyChannels({ notify: ['email:a@b.c,'] })).message).toBe(
      `--notify email:a@b.c,: "" is not a mail address — ${HINT}`,
    );
    expect(usageError(() => notifyChannels({ notify: ['email:Ops <a@b.c>'] })).message).toContain('"Ops <a@b.c>" is not a mail address');
  });

  it('a kind of channel flow does not know', () => {
    expect(usageError(() => notifyChannels({ notify: ['discord:URL'] })).message).toBe(
      `--notify discord:URL: unknown channel "discord" — ${HINT}`,
    );
    expect(usageError(() => notifyChannels({ notify: ['Slack:URL'] })).message).toContain('unknown channel "Slack"');
  });

  it("a URL instead of a variable's name is refused without being echoed in a hint", () => {
    const e = usageError(() => notifyChannels({ notify: ['slack:https://hooks.slack.com/services/T/B/x'] }));
    expect(e.message).toBe(
      '--notify slack:https://hooks.slack.com/services/T/B/x: "https://hooks.slack.com/services/T/B/x" is not an environment variable\'s name' +
        ' — the URL itself is a credential: put it in a variable and name the variable',
    );
    expect(usageError(() => notifyChannels({ notify: ['json:1BAD'] })).message).toContain('"1BAD" is not an environment variable\'s name');
    expect(usageError(() => notifyChannels({ notify: ['teams:MY-URL'] })).message).toContain(
      '"MY-URL" is not an environment variable\'s name',
    );
  });

  it('a bad --notify-on value, even with no --notify', () => {
    expect(usageError(() => notifyChannels({ notifyOn: 'failure,cancelled' })).message).toBe(
      '--notify-on cancelled: not one of failure, success, always, recovered',
    );
    expect(usageError(() => notifyChannels({ notify: ['json:X'], notifyOn: '' })).message).toBe(
      '--notify-on : not one of failure, success, always, recovered',
    );
  });
});

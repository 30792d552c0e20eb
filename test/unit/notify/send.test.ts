// SMTP settings from the environment, the secrets to mask, and sendMessage's paths that need no server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { buildMessage } from '../../../src/notify/message.js';
import { channelSecrets, sendMessage, smtpSettings } from '../../../src/notify/send.js';
import type { NotifyChannel } from '../../../src/workflow/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'flow-send-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = {
  runId: 'r1',
  workflow: 'wf',
  workflowFile: 'wf.yml',
  runDir: '/runs/wf/r1',
  params: {},
  startedAt: '2026-01-01T00:00:00Z',
  status: 'failed',
  nodes: {},
  logs: [],
} as unknown as RunRecord;
const message = buildMessage(
  { run, runDir: run.runDir, gallery: { run, notebooks: [], items: [], problems: [] }, missing: [], failingCells: {} },
  { event: 'failure' },
);

const webhook = (urlEnv: string, format: 'slack' | 'teams' | 'json' = 'json'): NotifyChannel => ({
  name: `webhook $${urlEnv} (${format})`,
  on: ['failure'],
  webhook: { urlEnv, format },
  timeoutMs: 1000,
});
const email: NotifyChannel = {
  name: 'email ops@example.ac.uk',
  on: ['failure'],
  email: { to: ['ops@example.ac.uk'], cc: [] },
  timeoutMs: 1000,
};
const instant = { sleep: async () => {}, attempts: 2 };

describe('smtpSettings', () => {
  it('reads FLOW_SMTP_URL, decoding the credentials, with the port its scheme implies', () => {
    expect(smtpSettings({ FLOW_SMTP_URL: 'smtp://fl%40w:p%40ss%2Fword@mail.example.ac.uk', FLOW_SMTP_FROM: 'flow@example.ac.uk' })).toEqual(
      {
        host: 'mail.example.ac.uk',
        port: 587,
        secure: false,
        starttls: 'auto',
        user: 'fl@w',
        password: 'p@ss/word',
        from: 'flow@example.ac.uk',
      },
    );
    expect(smtpSettings({ FLOW_SMTP_URL: 'smtps://mail.example.ac.uk' })).toMatchObject({
      port: 465,
      secure: true,
      from: `flow@${hostname()}`,
    });
    expect(smtpSettings({ FLOW_SMTP_URL: 'smtp://mail.example.ac.uk:2525' })).toMatchObject({ port: 2525, secure: false });
    expect(smtpSettings({ FLOW_SMTP_URL: 'smtp://h' })).not.toHaveProperty('user');
  });

  it('reads FLOW_SMTP_HOST and friends', () => {
    const env = {
      FLOW_SMTP_HOST: 'mail',
      FLOW_SMTP_SECURE: 'true',
      FLOW_SMTP_USER: 'u',
      FLOW_SMTP_PASSWORD: 'pw',
      FLOW_SMTP_STARTTLS: 'never',
    };
    expect(smtpSettings(env)).toMatchObject({ host: 'mail', port: 465, secure: true, user: 'u', password: 'pw', starttls: 'never' });
    expect(smtpSettings({ FLOW_SMTP_HOST: 'mail', FLOW_SMTP_PORT: '25' })).toMatchObject({ port: 25, secure: false, starttls: 'auto' });
    expect(smtpSettings({ FLOW_SMTP_HOST: 'mail', FLOW_SMTP_SECURE: '1' })).toMatchObject({ port: 465, secure: true });
  });

  it('reads the CA file', () => {
    const ca = join(tmp, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    expect(smtpSettings({ FLOW_SMTP_HOST: 'mail', FLOW_SMTP_CA: ca })).toMatchObject({ ca: '-----BEGIN CERTIFICATE-----\n' });
  });

  it('says what is wrong or missing', () => {
    expect(smtpSettings({})).toBe('no SMTP server: set FLOW_SMTP_URL (smtp://user:password@host:587), or FLOW_SMTP_HOST');
    expect(smtpSettings({ FLOW_SMTP_URL: 'not a url' })).toBe(
      'FLOW_SMTP_URL is not a URL (smtp://user:password@host:587 or smtps://…:465)',
    );
    expect(smtpSettings({ FLOW_SMTP_URL: 'https://mail' })).toBe('FLOW_SMTP_URL must start with smtp:// or smtps://, not https://');
    expect(smtpSettings({ FLOW_SMTP_HOST: 'mail', FLOW_SMTP_STARTTLS: 'yes' })).toBe(
      'FLOW_SMTP_STARTTLS must be auto, require or never, not "yes"',
    );
  });

  // A CA file that cannot be read throws (ENOENT) instead of being said, as every other problem is.
  it('says a CA file that cannot be read, rather than throwing', () => {
    expect(typeof smtpSettings({ FLOW_SMTP_HOST: 'mail', FLOW_SMTP_CA: join(tmp, 'missing.pem') })).toBe('string');
  });
});

describe('channelSecrets', () => {
  it("masks a webhook's URL, its path and query, and its password, longest first", () => {
    const env = { HOOK: 'https://user:hunter22@hooks.example.com/services/T0/B0/secret123?x=1' };
    expect(channelSecrets(webhook('HOOK'), env)).toEqual([env.HOOK, '/services/T0/B0/secret123?x=1', 'hunter22']);
  });

  it('nothing for an unset variable, a bare host, or a value too short to mask safely', () => {
    expect(channelSecrets(webhook('HOOK'), {})).toEqual([]);
    expect(channelSecrets(webhook('HOOK'), { HOOK: 'https://h.io/' })).toEqual(['https://h.io/']);
    expect(channelSecrets(webhook('HOOK'), { HOOK: 'abc' })).toEqual([]);
    expect(channelSecrets(webhook('HOOK'), { HOOK: 'not a url at all' })).toEqual(['not a url at all']);
  });

  it("masks the SMTP URL and password, decoded and encoded, and nothing of a webhook's variable for mail", () => {
    const env = { FLOW_SMTP_URL: 'smtp://flow:p%40ss%2Fw@mail:587', HOOK: 'https://h/secret' };
    expect(channelSecrets(email, env)).toEqual(['smtp://flow:p%40ss%2Fw@mail:587', 'p%40ss%2Fw', 'p@ss/w']);
    expect(channelSecrets(email, { FLOW_SMTP_HOST: 'mail', FLOW_SMTP_PASSWORD: 'hunter22' })).toEqual(['hunter22']);
    expect(channelSecrets(email, {})).toEqual([]);
  });
});

describe('sendMessage without a server', () => {
  it('a webhook whose variable is unset is not tried', async () => {
    const sleeps: number[] = [];
    const r = await sendMessage(webhook('NOT_SET_URL', 'slack'), message, { env: {}, sleep: async (ms) => void sleeps.push(ms) });
    expect(r).toEqual({
      channel: 'webhook $NOT_SET_URL (slack)',
      ok: false,
      attempts: 0,
      error: "$NOT_SET_URL is not set: the webhook's URL is read from it",
    });
    expect(sleeps).toEqual([]);
  });

  it('mail without an SMTP server is not tried', async () => {
    const r = await sendMessage(email, message, { env: {} });
    expect(r).toEqual({ channel: 'email ops@example.ac.uk', ok: false, attempts: 0, error: expect.stringMatching(/^no SMTP server/) });
  });

  it('mail with a broken SMTP setting says it', async () => {
    const r = await sendMessage(email, message, { env: { FLOW_SMTP_URL: 'http://mail' } });
    expect(r).toMatchObject({ ok: false, attempts: 0, error: 'FLOW_SMTP_URL must start with smtp:// or smtps://, not http://' });
  });

  it('a URL that is not http(s) fails every attempt, with backoff, and never shows its path', async () => {
    const sleeps: number[] = [];
    const env = { FTP_URL: 'ftp://files.example.com/services/secret-token-123' };
    const r = await sendMessage(webhook('FTP_URL'), message, {
      env,
      attempts: 3,
      retryDelayMs: 5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(r).toEqual({
      channel: 'webhook $FTP_URL (json)',
      ok: false,
      attempts: 3,
      error: 'the webhook URL must be http:// or https://, not ftp://',
    });
    expect(sleeps).toEqual([5, 10]);
    expect(JSON.stringify(r)).not.toContain('secret-token-123');
  });

  it('attempts: 2 tries twice', async () => {
    const r = await sendMessage(webhook('FTP_URL', 'teams'), message, { env: { FTP_URL: 'ftp://x' }, ...instant });
    expect(r).toMatchObject({ ok: false, attempts: 2, error: 'the webhook URL must be http:// or https://, not ftp://' });
  });

  it('a value that is not a URL is said without being shown', async () => {
    const env = { HOOK: 'hooks.example.com/secret-token-456' };
    const r = await sendMessage(webhook('HOOK'), message, { env, ...instant });
    expect(r).toEqual({ channel: 'webhook $HOOK (json)', ok: false, attempts: 2, error: 'the webhook URL is not a URL' });
    expect(JSON.stringify(r)).not.toContain('secret-token-456');
  });

  // sendMessage's failures are results; an unreadable FLOW_SMTP_CA makes it reject instead.
  it('mail whose CA file cannot be read is a failed result, not a rejection', async () => {
    const env = { FLOW_SMTP_HOST: '127.0.0.1', FLOW_SMTP_CA: join(tmp, 'missing.pem') };
    await expect(sendMessage(email, message, { env, ...instant, attempts: 1 })).resolves.toMatchObject({ ok: false, attempts: 0 });
  });
});

// Notifications against real servers on loopback, started here: SMTP (STARTTLS with AUTH, and
// implicit TLS) read back with mailparser, and webhook receivers for Slack, Teams and flow's JSON,
// one answering 500 twice, one never answering.
import { execa } from 'execa';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailServer, startMailServer } from '../helpers/mail-server.js';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';
import { startWebhookServer, type WebhookServer } from '../helpers/webhook-server.js';

const SMTP_PASSWORD = 'smtp-pa55-word-e2e';
// Slack's URLs hold their secret in the path: so do these.
const SLACK_PATH = '/services/T000/B000/slacksecrettoken123';
const TEAMS_PATH = '/workflows/teamssecrettoken456';

let tmp: string;
let starttls: MailServer;
let implicit: MailServer;
let slack: WebhookServer;
let teams: WebhookServer;
let flaky: WebhookServer;
let hanging: WebhookServer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-notify-'));
  for (const f of ['experiment.ipynb', 'broken.ipynb', 'fine.ipynb']) copyFileSync(join(fixturesDir, 'report', f), join(tmp, f));
  [starttls, implicit, slack, teams, flaky, hanging] = await Promise.all([
    startMailServer({ tls: 'starttls', auth: { user: 'flow', password: SMTP_PASSWORD } }),
    startMailServer({ tls: 'implicit' }),
    startWebhookServer(),
    startWebhookServer(),
    startWebhookServer({ statuses: [500, 500, 200] }),
    startWebhookServer({ neverAnswer: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([starttls, implicit, slack, teams, flaky, hanging].map((s) => s?.close()));
  rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/** report-demo (test/fixtures/report) with a notify: section; limit 5.0 fails it, 100 lets it succeed. */
function workflow(name: string, notify: string): string {
  const text = readFileSync(join(fixturesDir, 'report', 'wf.yml'), 'utf8')
    .replace('name: report-demo', `name: ${name}`)
    .replace('nodes:', `notify:\n${notify}\nnodes:`);
  const file = join(tmp, `${name}.yml`);
  writeFileSync(file, text);
  return file;
}

async function run(file: string, env: Record<string, string>, args: string[] = []) {
  const r = await execa('node', [cliPath, 'run', file, '--reporter', 'plain', '--runs-dir', join(tmp, 'runs'), ...args], {
    cwd: repoRoot,
    reject: false,
    env: { NO_COLOR: '1', ...env },
    extendEnv: false,
  });
  const runDir = /^run directory: (.+)$/m.exec(r.stdout)?.[1];
  if (!runDir) throw new Error(`no run directory:\n${r.stdout}\n${r.stderr}`);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  const events = readFileSync(join(runDir, 'events.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { ...r, runDir, record, events };
}

const baseEnv = () => ({ PATH: process.env.PATH!, HOME: process.env.HOME ?? tmp });

describe('notify: on a failure', () => {
  it('mails (STARTTLS, AUTH) and posts to Slack, Teams and JSON what failed, where, and the next step; the run keeps its exit code', async () => {
    const file = workflow(
      'notify-demo',
      `  - email: { to: [ops@example.ac.uk], cc: data-team@example.ac.uk }
  - webhook: { url_env: SLACK_URL, format: slack }
  - webhook: { url_env: TEAMS_URL, format: teams }
  - webhook: { url_env: JSON_URL }`,
    );
    const r = await run(file, {
      ...baseEnv(),
      FLOW_SMTP_URL: `smtp://flow:${SMTP_PASSWORD}@127.0.0.1:${starttls.port}`,
      FLOW_SMTP_STARTTLS: 'require',
      FLOW_SMTP_CA: starttls.caFile!,
      FLOW_SMTP_FROM: 'flow@example.ac.uk',
      SLACK_URL: slack.url(SLACK_PATH),
      TEAMS_URL: teams.url(TEAMS_PATH),
      JSON_URL: flaky.url('/flow'),
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.record.status).toBe('failed');

    // The mail: encrypted, authenticated, a subject to filter on, both parts, the attachments.
    expect(starttls.mails).toHaveLength(1);
    const mail = starttls.mails[0]!;
    expect(mail).toMatchObject({ secure: true, user: 'flow', from: 'flow@example.ac.uk' });
    expect(mail.to.sort()).toEqual(['data-team@example.ac.uk', 'ops@example.ac.uk']);
    expect(mail.parsed.subject).toBe('[flow] notify-demo failed: broken (ValueError)');
    const text = mail.parsed.text ?? '';
    expect(text).toContain('broken: ValueError: threshold 5.0 is over the limit in cell 3');
    expect(text).toContain("| raise ValueError(f'threshold {threshold} is over the limit')");
    expect(text).toMatch(/traceback:[\s\S]*ValueError/);
    expect(text).toContain(`Run directory: ${r.runDir}`);
    expect(text).toContain(`flow resume ${r.record.runId}`);
    expect(text).toMatch(/Skipped: fine \(decide chose broken\)/);
    expect(mail.parsed.html).toContain('threshold 5.0 is over the limit');
    const files = mail.parsed.attachments.map((a) => a.filename).sort();
    expect(files).toEqual(['broken.ipynb', 'report.html']);
    expect(mail.parsed.attachments.find((a) => a.filename === 'report.html')!.content.toString()).toContain('<title>notify-demo');

    // Slack and Teams, in their own formats.
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]!.path).toBe(SLACK_PATH);
    const s = slack.posts[0]!.body as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(s.text).toBe('[flow] notify-demo failed: broken (ValueError)');
    expect(s.blocks.map((b) => b.type)).toContain('header');
    expect(JSON.stringify(s.blocks)).toContain('threshold 5.0 is over the limit');
    const t = teams.posts[0]!.body as { type: string; attachments: { contentType: string; content: { body: unknown[] } }[] };
    expect(t.type).toBe('message');
    expect(t.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(t.attachments[0]!.content.body)).toContain('broken: ValueError');

    // flow's JSON, after two 500s: retried, with backoff.
    expect(flaky.posts).toHaveLength(3);
    expect(flaky.posts[2]!.at - flaky.posts[1]!.at).toBeGreaterThan(flaky.posts[1]!.at - flaky.posts[0]!.at);
    expect(flaky.posts[2]!.body).toMatchObject({
      schema: 'flow.notification/1',
      event: 'failure',
      workflow: 'notify-demo',
      run_id: r.record.runId,
      status: 'failed',
      exit_code: 1,
      run_dir: r.runDir,
      failed: [{ node: 'broken', ename: 'ValueError', evalue: 'threshold 5.0 is over the limit', error_class: 'error', cell: 3 }],
      skipped: [{ node: 'fine', why: 'decide chose broken' }],
      next_step: `flow resume ${r.record.runId}`,
    });

    // Recorded in run.json and after run_finished in the events.
    expect(r.record.notifications).toHaveLength(4);
    for (const n of r.record.notifications) expect(n, n.channel).toMatchObject({ ok: true, event: 'failure' });
    expect(r.record.notifications.find((n: { channel: string }) => n.channel === 'webhook $JSON_URL (json)')).toMatchObject({
      attempts: 3,
      answer: 'HTTP 200 ok',
    });
    const types = r.events.map((e: { type: string }) => e.type);
    expect(types.slice(types.indexOf('run_finished') + 1)).toEqual(Array(4).fill('notification_sent'));

    // No credential anywhere: the run's files, the output, the messages themselves.
    const everything = [
      r.stdout,
      r.stderr,
      mail.raw,
      JSON.stringify([slack.posts, teams.posts, flaky.posts].map((p) => p.map((x) => x.body))),
      ...readdirSync(r.runDir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8')),
    ].join('\n');
    for (const secret of [SMTP_PASSWORD, 'slacksecrettoken123', 'teamssecrettoken456', encodeURIComponent(SMTP_PASSWORD)]) {
      expect(everything.includes(secret), secret).toBe(false);
    }
  }, 120_000);

  it('a server that never answers, a refused password and a missing variable: warned and recorded, the run ends with its own exit code', async () => {
    const file = workflow(
      'notify-faults',
      `  - email: { to: ops@example.ac.uk }
  - webhook: { url_env: HANG_URL }
    timeout: 1s
  - webhook: { url_env: NOT_SET_URL, format: slack }`,
    );
    const r = await run(file, {
      ...baseEnv(),
      FLOW_SMTP_URL: `smtp://flow:wrong-${SMTP_PASSWORD}@127.0.0.1:${starttls.port}`,
      FLOW_SMTP_CA: starttls.caFile!,
      HANG_URL: hanging.url('/hang'),
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(hanging.posts).toHaveLength(3);
    expect(r.stderr).toMatch(
      /notification through webhook \$HANG_URL \(json\) was not sent after 3 attempts: 127\.0\.0\.1:\d+ did not answer within 1 s/,
    );
    expect(r.stderr).toContain('notification through webhook $NOT_SET_URL (slack) was not sent: $NOT_SET_URL is not set');
    expect(r.stderr).toMatch(
      /notification through email ops@example\.ac\.uk was not sent after 3 attempts: .*Invalid username or password/,
    );
    expect(r.record.notifications.map((n: { ok: boolean }) => n.ok)).toEqual([false, false, false]);
    expect(r.events.filter((e: { type: string }) => e.type === 'notification_failed')).toHaveLength(3);
    expect(`${r.stdout}${r.stderr}${JSON.stringify(r.record)}`).not.toContain(`wrong-${SMTP_PASSWORD}`);
  }, 120_000);
});

describe('notify: success, recovered and one-off channels', () => {
  it('recovered is sent once, for the first success after a failure; --notify adds a channel for one run', async () => {
    const file = workflow(
      'notify-recover',
      `  - on: recovered
    email: { to: ops@example.ac.uk, subject: "[returns]" }`,
    );
    const env = { ...baseEnv(), FLOW_SMTP_URL: `smtps://127.0.0.1:${implicit.port}`, FLOW_SMTP_CA: implicit.caFile! };
    const failed = await run(file, env);
    expect(failed.exitCode).toBe(1);
    expect(implicit.mails).toHaveLength(0);

    const recovered = await run(file, env, ['-p', 'limit=100']);
    expect(recovered.exitCode).toBe(0);
    expect(implicit.mails).toHaveLength(1);
    expect(implicit.mails[0]!.secure).toBe(true);
    expect(implicit.mails[0]!.parsed.subject).toBe('[returns] notify-recover recovered');
    expect(recovered.record.notifications).toMatchObject([{ event: 'recovered', ok: true }]);

    const json = startWebhookServer();
    const hook = await json;
    try {
      const again = await run(file, { ...env, ONE_OFF_URL: hook.url() }, [
        '-p',
        'limit=100',
        '--notify',
        'json:ONE_OFF_URL',
        '--notify-on',
        'success',
      ]);
      expect(again.exitCode).toBe(0);
      expect(implicit.mails).toHaveLength(1); // not recovered this time
      expect(hook.posts).toHaveLength(1);
      expect(hook.posts[0]!.body).toMatchObject({ event: 'success', status: 'succeeded', failed: [], next_step: null });
    } finally {
      await hook.close();
    }
  }, 120_000);

  it('--notify with a URL instead of a variable name is refused before anything runs', async () => {
    const file = workflow('notify-usage', '  - webhook: { url_env: X_URL }');
    const r = await execa('node', [cliPath, 'run', file, '--notify', 'slack:https://hooks.slack.com/x'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not an environment variable');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('flow notify --test', () => {
  it('sends a test message through each channel and says what each answered', async () => {
    const file = workflow(
      'notify-test',
      `  - email: { to: ops@example.ac.uk }\n  - webhook: { url_env: SLACK_URL, format: slack }\n  - webhook: { url_env: UNSET_URL }`,
    );
    const before = slack.posts.length;
    const r = await execa('node', [cliPath, 'notify', '--test', file], {
      reject: false,
      env: {
        ...baseEnv(),
        FLOW_SMTP_URL: `smtps://127.0.0.1:${implicit.port}`,
        FLOW_SMTP_CA: implicit.caFile!,
        SLACK_URL: slack.url(SLACK_PATH),
      },
      extendEnv: false,
    });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^✔ email ops@example\.ac\.uk: 250 /m);
    expect(r.stdout).toContain('✔ webhook $SLACK_URL (slack): HTTP 200 ok');
    expect(r.stdout).toContain('✖ webhook $UNSET_URL (json): $UNSET_URL is not set');
    expect(slack.posts.length).toBe(before + 1);
    expect((slack.posts.at(-1)!.body as { text: string }).text).toBe('[flow] notify-test test message');
    expect(implicit.mails.at(-1)!.parsed.text).toContain('This is a test of the channel');
  });
});

describe('the quality-audit example', () => {
  it('tells its Slack channel when block_deployment fails the run', async () => {
    const r = await execa(
      'node',
      [
        cliPath,
        'run',
        'workflows/quality-audits.yml',
        '-p',
        'scenario=broken',
        '-p',
        `workdir=${join(tmp, 'audits')}`,
        '--reporter',
        'plain',
        '--runs-dir',
        join(tmp, 'runs'),
      ],
      { cwd: repoRoot, reject: false, env: { AUDIT_WEBHOOK_URL: slack.url('/audits') } },
    );
    expect(r.exitCode).toBe(1);
    const post = slack.posts.find((p) => p.path === '/audits');
    expect(post).toBeDefined();
    expect((post!.body as { text: string }).text).toBe('[flow] quality-audits failed: block_deployment (RuntimeError) and 3 more');
    expect(JSON.stringify(post!.body)).toContain('block_deployment');
  }, 120_000);
});

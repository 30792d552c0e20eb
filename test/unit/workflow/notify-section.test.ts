// The `notify:` section: channels built from it, and each mistake reported where it is written.
import { workflowDiagnostics } from '../../helpers/workflow-diagnostics.js';
import { describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../../src/workflow/load-workflow.js';

async function load(yaml: string) {
  return (await parseWorkflow(yaml, '/w/wf.yml', { displayName: 'wf.yml' })).workflow;
}

/** Every problem loading `yaml` reports (its warnings when it loads). */
const errorsOf = workflowDiagnostics;

/** A workflow whose `notify:` is `entries` (indented as list items under it). */
const wf = (entries: string) => `name: n\nnotify:\n${entries}\nnodes:\n  a: { notebook: a.ipynb }\n`;
const NO_CHANNEL = 'names no channel — add `email: { to: [...] }` or `webhook: { url_env: VAR, format: slack }`';

describe('notify: channels', () => {
  it('builds an email and webhooks, on failure by default, with a 10 s timeout', async () => {
    const w = await load(
      wf(`  - email: { to: a@b.c, cc: [Ops <ops@example.ac.uk>, d@e.f], from: flow@example.ac.uk, subject: "[returns]" }
  - webhook: { url_env: SLACK_URL, format: slack }
    on: [success, recovered, success]
    timeout: 1s
  - webhook: { url_env: JSON_URL }
    on: always
    timeout: 2`),
    );
    expect(w.notify).toEqual([
      {
        name: 'email a@b.c',
        on: ['failure'],
        timeoutMs: 10_000,
        email: { to: ['a@b.c'], cc: ['Ops <ops@example.ac.uk>', 'd@e.f'], from: 'flow@example.ac.uk', subject: '[returns]' },
        pos: { file: 'wf.yml', line: 3, col: 5 },
      },
      {
        name: 'webhook $SLACK_URL (slack)',
        on: ['success', 'recovered'],
        timeoutMs: 1000,
        webhook: { urlEnv: 'SLACK_URL', format: 'slack' },
        pos: { file: 'wf.yml', line: 4, col: 5 },
      },
      {
        name: 'webhook $JSON_URL (json)',
        on: ['always'],
        timeoutMs: 2000,
        webhook: { urlEnv: 'JSON_URL', format: 'json' },
        pos: expect.anything(),
      },
    ]);
  });

  it('names every recipient of an email', async () => {
    const w = await load(wf('  - email: { to: [a@b.c, d@e.f] }'));
    expect(w.notify![0]).toMatchObject({ name: 'email a@b.c, d@e.f', email: { to: ['a@b.c', 'd@e.f'], cc: [] } });
    expect(w.notify![0]!.email).not.toHaveProperty('from');
  });

  it('no notify: section, or an empty one, is no channel', async () => {
    expect((await load('name: n\nnodes:\n  a: { notebook: a.ipynb }\n')).notify).toBeUndefined();
    expect((await load('name: n\nnotify: []\nnodes:\n  a: { notebook: a.ipynb }\n')).notify).toBeUndefined();
  });
});

describe('notify: mistakes, where they are written', () => {
  it('an entry with neither or both of email and webhook', async () => {
    expect(await errorsOf(wf('  - on: failure'))).toEqual([`wf.yml:3:5: notify[0]: ${NO_CHANNEL}`]);
    expect(await errorsOf(wf('  - {}'))).toEqual([`wf.yml:3:5: notify[0]: ${NO_CHANNEL}`]);
    expect(await errorsOf(wf('  - email: { to: a@b.c }\n    webhook: { url_env: X }'))).toEqual([
      'wf.yml:3:5: notify[0]: has both email and webhook — give each its own entry under notify:',
    ]);
  });

  it('an email without recipients', async () => {
    expect(await errorsOf(wf('  - email:\n      to: []'))).toEqual([
      'wf.yml:4:11: notify[0]: email has no recipient — list them under to:',
    ]);
  });

  it('a bad address in to, cc or from, at the address', async () => {
    const yaml = wf('  - email:\n      to: [ok@b.co, nope]\n      cc: also-bad\n      from: flow');
    expect(await errorsOf(yaml)).toEqual([
      'wf.yml:4:21: notify[0]: "nope" is not a mail address — write it as name@example.ac.uk',
      'wf.yml:5:11: notify[0]: "also-bad" is not a mail address — write it as name@example.ac.uk',
      'wf.yml:6:13: notify[0]: "flow" is not a mail address — write it as flow@example.ac.uk',
    ]);
    expect(await errorsOf(wf('  - email: { to: "a@b" }'))).toEqual([
      'wf.yml:3:18: notify[0]: "a@b" is not a mail address — write it as name@example.ac.uk',
    ]);
  });

  it('mistakes in several entries are all reported, in file order', async () => {
    expect(await errorsOf(wf('  - webhook: { url_env: X }\n  - {}\n  - email: { to: bad }'))).toEqual([
      `wf.yml:4:5: notify[1]: ${NO_CHANNEL}`,
      'wf.yml:5:18: notify[2]: "bad" is not a mail address — write it as name@example.ac.uk',
    ]);
  });

  it('a bad format, url_env or timeout, at the value', async () => {
    expect(await errorsOf(wf('  - webhook: { url_env: X, format: discord }'))).toEqual([
      'wf.yml:3:36: notify[0].webhook.format: "discord" is not one of slack, teams, json',
    ]);
    expect(await errorsOf(wf('  - webhook: { url_env: "https://x" }'))).toEqual([
      'wf.yml:3:25: notify[0].webhook.url_env: "https://x" is not valid',
    ]);
    expect(await errorsOf(wf('  - webhook: { url_env: X }\n    timeout: soon'))).toEqual([
      'wf.yml:4:14: notify[0].timeout: "soon" is not a duration — write it like 90s, 10m, 1h or 1h30m',
    ]);
  });

  it('a bad on value, at the value', async () => {
    expect(await errorsOf(wf('  - webhook: { url_env: X }\n    on: failed'))).toEqual([
      expect.stringMatching(/^wf\.yml:4:9: notify\[0\]\.on: "failed" /),
    ]);
    expect(await errorsOf(wf('  - webhook: { url_env: X }\n    on: []'))).toEqual(['wf.yml:4:9: notify[0].on: must have at least 1 item']);
  });

  it('an unknown key, at the key', async () => {
    expect(await errorsOf(wf('  - webhook: { url_env: X, fromat: slack }'))).toEqual([
      'wf.yml:3:28: unknown key "fromat" in notify[0].webhook — did you mean "format"?',
    ]);
    expect(await errorsOf(wf('  - email: { to: a@b.c }\n    onn: failure'))).toEqual([
      expect.stringMatching(/^wf\.yml:4:5: unknown key "onn" in notify\[0\]/),
    ]);
  });

  it('notify: is a list', async () => {
    expect(await errorsOf('name: n\nnotify:\n  email: { to: a@b.c }\nnodes:\n  a: { notebook: a.ipynb }\n')).toEqual([
      'wf.yml:3:3: notify: expected a list, got a mapping',
    ]);
  });

  // knownKeys.notify exists "for did you mean", but schema-issues.ts keysAt() never returns it.
  it('an unknown key in a notify entry gets a did-you-mean', async () => {
    expect(await errorsOf(wf('  - email: { to: a@b.c }\n    onn: failure'))).toEqual([
      'wf.yml:4:5: unknown key "onn" in notify[0] — did you mean "on"?',
    ]);
  });

  it('an email without to: says the key is missing', async () => {
    expect(await errorsOf(wf('  - email: { cc: a@b.c }'))).toEqual([
      "wf.yml:3:12: notify[0].email.to: missing: the mail's recipients — write to: ops@example.ac.uk, or a list of addresses",
    ]);
  });

  it('a bad event in an on: list is reported at the event, with the events flow knows', async () => {
    expect(await errorsOf(wf('  - webhook: { url_env: X }\n    on: [failure, sucess]'))).toEqual([
      'wf.yml:4:19: notify[0].on[1]: "sucess" is not one of failure, success, always, recovered — did you mean "success"?',
    ]);
  });
});

// How a run ended, for `on:` (recovered: the first success after a failure), and notifyRun's
// sending and recording, through channels that need no server.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeError } from '../../../src/events/run-event.js';
import type { NodeState } from '../../../src/events/run-state.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { notifyRun, runEndings } from '../../../src/notify/notify-run.js';
import { readReportRun } from '../../../src/summary/report-page.js';
import type { NotifyChannel, NotifyOn } from '../../../src/workflow/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function runsDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'flow-notify-run-'));
  dirs.push(d);
  return join(d, 'runs');
}

const error: NodeError = { errorClass: 'error', message: 'ValueError: bad rows', ename: 'ValueError', evalue: 'bad rows', cell: 1 };
const T = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

function node(id: string, status: NodeState['status'], extra: Partial<NodeState> = {}): NodeState {
  return { id, notebook: `${id}.ipynb`, status, attempts: [], lastOutput: [], ...extra };
}

/** `<runs>/<workflow>/<runId>/run.json` (and an events.ndjson ending with run_finished); returns the run directory. */
function writeRun(runs: string, runId: string, status: RunRecord['status'], startedAt: string, workflow = 'wf'): string {
  const runDir = join(runs, workflow, runId);
  mkdirSync(runDir, { recursive: true });
  const record: RunRecord = {
    schemaVersion: 1,
    flowVersion: '0.0.0',
    workflowHash: '',
    workflowSnapshot: {} as RunRecord['workflowSnapshot'],
    updatedAt: startedAt,
    runId,
    workflow,
    workflowFile: `${workflow}.yml`,
    runDir,
    params: {},
    startedAt,
    finishedAt: startedAt,
    status,
    exitCode: status === 'succeeded' ? 0 : 1,
    durationMs: 1000,
    logs: [],
    nodes: { a: status === 'failed' ? node('a', 'failed', { error }) : node('a', status === 'cancelled' ? 'cancelled' : 'succeeded') },
  };
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(record));
  writeFileSync(
    join(runDir, 'events.ndjson'),
    `${JSON.stringify({ type: 'run_finished', at: startedAt, status, exitCode: record.exitCode, durationMs: 1000, counts: {} })}\n`,
  );
  return runDir;
}

const endings = async (runDir: string) => [...(await runEndings(await readReportRun(runDir)))].sort();
const hook = (urlEnv: string, on: NotifyOn[], format: 'slack' | 'teams' | 'json' = 'slack'): NotifyChannel => ({
  name: `webhook $${urlEnv} (${format})`,
  on,
  webhook: { urlEnv, format },
  timeoutMs: 1000,
});
const readEvents = (runDir: string) =>
  readFileSync(join(runDir, 'events.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const readRecord = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;

describe('runEndings', () => {
  it('a failure, a success, a cancelled run', async () => {
    const runs = runsDir();
    expect(await endings(writeRun(runs, '20260101-000000-aaaa', 'failed', T(0)))).toEqual(['always', 'failure']);
    expect(await endings(writeRun(runs, '20260102-000000-cccc', 'cancelled', T(86400)))).toEqual(['always']);
    expect(await endings(writeRun(runs, '20260101-000000-bbbb', 'succeeded', T(-10)))).toEqual(['always', 'success']);
  });

  it('recovered: a success after the last finished run failed', async () => {
    const runs = runsDir();
    writeRun(runs, '20260101-000000-aaaa', 'failed', T(0));
    writeRun(runs, '20260101-000100-bbbb', 'cancelled', T(60)); // not a run that ended: ignored
    const current = writeRun(runs, '20260101-000200-cccc', 'succeeded', T(120));
    expect(await endings(current)).toEqual(['always', 'recovered', 'success']);
  });

  it('not recovered when the last finished run succeeded, or when the failure came later or in another workflow', async () => {
    const runs = runsDir();
    writeRun(runs, '20260101-000000-aaaa', 'failed', T(0));
    writeRun(runs, '20260101-000100-bbbb', 'succeeded', T(60));
    const current = writeRun(runs, '20260101-000200-cccc', 'succeeded', T(120));
    writeRun(runs, '20260101-000300-dddd', 'failed', T(180));
    expect(await endings(current)).toEqual(['always', 'success']);

    const other = runsDir();
    writeRun(other, '20260101-000000-aaaa', 'failed', T(0), 'another');
    expect(await endings(writeRun(other, '20260101-000200-cccc', 'succeeded', T(120)))).toEqual(['always', 'success']);
  });

  it('the first run of a workflow is not recovered', async () => {
    expect(await endings(writeRun(runsDir(), '20260101-000000-aaaa', 'succeeded', T(0)))).toEqual(['always', 'success']);
  });
});

describe('notifyRun', () => {
  it('no channel, or none for this end: nothing sent, nothing written', async () => {
    const runDir = writeRun(runsDir(), '20260101-000000-aaaa', 'succeeded', T(0));
    const before = [readFileSync(join(runDir, 'run.json'), 'utf8'), readFileSync(join(runDir, 'events.ndjson'), 'utf8')];
    const warn: string[] = [];
    expect(await notifyRun(runDir, [], { env: {}, warn: (m) => warn.push(m) })).toEqual([]);
    expect(
      await notifyRun(runDir, [hook('SLACK_URL', ['failure']), hook('T', ['recovered'])], { env: {}, warn: (m) => warn.push(m) }),
    ).toEqual([]);
    expect(warn).toEqual([]);
    expect([readFileSync(join(runDir, 'run.json'), 'utf8'), readFileSync(join(runDir, 'events.ndjson'), 'utf8')]).toEqual(before);
  });

  it('a webhook whose variable is unset: a failed result, warned, and recorded in events.ndjson and run.json', async () => {
    const runDir = writeRun(runsDir(), '20260101-000000-aaaa', 'failed', T(0));
    const warn: string[] = [];
    const results = await notifyRun(runDir, [hook('SLACK_URL', ['failure'])], { env: {}, warn: (m) => warn.push(m) });
    const error = "$SLACK_URL is not set: the webhook's URL is read from it";
    expect(results).toEqual([{ channel: 'webhook $SLACK_URL (slack)', ok: false, attempts: 0, error }]);
    expect(warn).toEqual([`notification through webhook $SLACK_URL (slack) was not sent: ${error}`]);

    const events = readEvents(runDir);
    expect(events.map((e) => e.type)).toEqual(['run_finished', 'notification_failed']);
    expect(events[1]).toEqual({
      type: 'notification_failed',
      at: expect.any(String),
      channel: 'webhook $SLACK_URL (slack)',
      event: 'failure',
      attempts: 0,
      error,
    });
    expect(readRecord(runDir).notifications).toEqual([
      { channel: 'webhook $SLACK_URL (slack)', event: 'failure', attempts: 0, ok: false, at: events[1].at, error },
    ]);
    expect(readRecord(runDir).status).toBe('failed'); // the run itself is not changed
  });

  it('each channel due is tried and recorded; mail without SMTP says so; recovered wins over success', async () => {
    const runs = runsDir();
    writeRun(runs, '20260101-000000-aaaa', 'failed', T(0));
    const runDir = writeRun(runs, '20260101-000100-bbbb', 'succeeded', T(60));
    const mail: NotifyChannel = {
      name: 'email ops@example.ac.uk',
      on: ['success'],
      email: { to: ['ops@example.ac.uk'], cc: [] },
      timeoutMs: 1000,
    };
    const warn: string[] = [];
    const results = await notifyRun(runDir, [mail, hook('A_URL', ['success', 'recovered'], 'json'), hook('B_URL', ['failure'])], {
      env: {},
      warn: (m) => warn.push(m),
    });
    expect(results.map((r) => [r.channel, r.ok, r.attempts])).toEqual([
      ['email ops@example.ac.uk', false, 0],
      ['webhook $A_URL (json)', false, 0],
    ]);
    expect(results[0]!.error).toMatch(/^no SMTP server/);
    expect(warn).toHaveLength(2);
    expect(readRecord(runDir).notifications!.map((n) => [n.channel, n.event])).toEqual([
      ['email ops@example.ac.uk', 'success'],
      ['webhook $A_URL (json)', 'recovered'],
    ]);
    expect(readEvents(runDir).map((e) => e.type)).toEqual(['run_finished', 'notification_failed', 'notification_failed']);
  });

  it('always: a cancelled run is told as cancelled; a second call appends to what was recorded', async () => {
    const runDir = writeRun(runsDir(), '20260101-000000-aaaa', 'cancelled', T(0));
    await notifyRun(runDir, [hook('X_URL', ['always'], 'teams')], { env: {} });
    await notifyRun(runDir, [hook('X_URL', ['always'], 'teams')], { env: {} });
    expect(readRecord(runDir).notifications!.map((n) => n.event)).toEqual(['cancelled', 'cancelled']);
    expect(readEvents(runDir).map((e) => e.type)).toEqual(['run_finished', 'notification_failed', 'notification_failed']);
  });

  // notifyRun warns about failures and never throws; an unreadable FLOW_SMTP_CA makes it reject,
  // and then no channel's outcome (not even the webhook's) is recorded.
  it('an unreadable FLOW_SMTP_CA is a failed result of the mail channel, the others still recorded', async () => {
    const runDir = writeRun(runsDir(), '20260101-000000-aaaa', 'failed', T(0));
    const mail: NotifyChannel = {
      name: 'email ops@example.ac.uk',
      on: ['failure'],
      email: { to: ['ops@example.ac.uk'], cc: [] },
      timeoutMs: 1000,
    };
    const env = { FLOW_SMTP_HOST: '127.0.0.1', FLOW_SMTP_CA: join(runDir, 'missing-ca.pem') };
    const results = await notifyRun(runDir, [mail, hook('SLACK_URL', ['failure'])], { env, sleep: async () => {} });
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(readRecord(runDir).notifications).toHaveLength(2);
  });
});

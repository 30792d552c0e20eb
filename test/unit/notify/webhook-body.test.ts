// A message as Slack (Block Kit), Teams (an Adaptive Card) and flow's own JSON want it.
import { describe, expect, it } from 'vitest';
import type { NodeError } from '../../../src/events/run-event.js';
import type { NodeState } from '../../../src/events/run-state.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { buildMessage, type Message } from '../../../src/notify/message.js';
import { slackBody, teamsBody, webhookBody } from '../../../src/notify/webhook-body.js';
import type { ReportRun } from '../../../src/summary/report-page.js';

const RUN_ID = '20260101-000000-abcd';

function node(id: string, status: NodeState['status'], extra: Partial<NodeState> = {}): NodeState {
  return { id, notebook: `${id}.ipynb`, status, attempts: [], lastOutput: [], ...extra };
}

function message(nodes: NodeState[], run: Partial<RunRecord> = {}, failingCells: Record<string, string> = {}): Message {
  const record: RunRecord = {
    schemaVersion: 1,
    flowVersion: '0.0.0',
    workflowHash: '',
    workflowSnapshot: {} as RunRecord['workflowSnapshot'],
    updatedAt: '2026-01-01T00:00:05Z',
    runId: RUN_ID,
    workflow: 'wf',
    workflowFile: '/w/wf.yml',
    runDir: '/runs/a&b/<wf>',
    params: {},
    startedAt: '2026-01-01T00:00:00Z',
    status: 'failed',
    exitCode: 1,
    durationMs: 5200,
    logs: [],
    nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
    ...run,
  };
  const data: ReportRun = {
    run: record,
    runDir: record.runDir,
    gallery: { run: record, notebooks: [], items: [], problems: [] },
    missing: [],
    failingCells,
  };
  return buildMessage(data, { event: record.status === 'succeeded' ? 'success' : 'failure' });
}

const error: NodeError = {
  errorClass: 'error',
  message: 'ValueError: a < b & c > d',
  cell: 2,
  executionCount: 3,
  ename: 'ValueError',
  evalue: 'a < b & c > d',
  traceback: Array.from({ length: 12 }, (_, i) => `tb line ${i}`),
};
const failedMessage = () =>
  message(
    [
      node('validate', 'failed', { error, attempts: [{ attempt: 1, startedAt: '2026-01-01T00:00:01Z', error }] }),
      node('publish', 'skipped', { skip: { kind: 'upstream_failed', upstream: ['validate'] } }),
    ],
    {},
    { validate: 'if a < b & c > d:\n    raise ValueError' },
  );

type Block = {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: { text: string }[];
};

describe('slackBody', () => {
  it('falls back to the subject as text, and heads the blocks with it', () => {
    const m = failedMessage();
    const s = slackBody(m) as { text: string; blocks: Block[] };
    expect(s.text).toBe('[flow] wf failed: validate (ValueError)');
    expect(s.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '[flow] wf failed: validate (ValueError)' } });
    expect(s.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'section']);
  });

  it('escapes &, < and > in mrkdwn', () => {
    const s = slackBody(failedMessage()) as { blocks: Block[] };
    const failed = s.blocks[2]!.text!;
    expect(failed.type).toBe('mrkdwn');
    expect(failed.text).toContain('*validate*: ValueError: a &lt; b &amp; c &gt; d in cell 2');
    expect(failed.text).toContain('```if a &lt; b &amp; c &gt; d:\n    raise ValueError```');
    expect(failed.text).not.toMatch(/[<>]/);
    expect(s.blocks[1]!.fields!.map((f) => f.text)).toEqual([
      `*Run* \`${RUN_ID}\``,
      '*Status* failed (exit 1)',
      '*Logical date* 2026-01-01T00:00:00Z',
      '*Run directory* `/runs/a&amp;b/&lt;wf&gt;`',
    ]);
  });

  it('shows the last 8 lines of the traceback, what was skipped, and the next step', () => {
    const s = slackBody(failedMessage()) as { blocks: Block[] };
    const failed = s.blocks[2]!.text!.text;
    expect(failed).toContain('```tb line 4\ntb line 5');
    expect(failed).toContain('tb line 11```');
    expect(failed).not.toContain('tb line 3');
    expect(s.blocks[3]!.elements![0]!.text).toBe('Skipped: publish (upstream failed: validate)');
    expect(s.blocks[4]!.text!.text).toBe(`Next step: fix the cause, then \`flow resume ${RUN_ID}\``);
  });

  it('keeps a header within 150 characters, a section within 2900, and at most 10 failures', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      node(`n${i}`.padEnd(60, 'x'), 'failed', { error: { ...error, evalue: 'v'.repeat(4000), traceback: [] } }),
    );
    const s = slackBody(message(many)) as { blocks: Block[] };
    expect(s.blocks[0]!.text!.text.length).toBeLessThanOrEqual(150);
    const sections = s.blocks.filter((b) => b.text?.text.startsWith('*n'));
    expect(sections).toHaveLength(10);
    for (const b of sections) expect(b.text!.text.length).toBeLessThanOrEqual(2900);
  });

  it('a success has facts but no failure and no next step', () => {
    const s = slackBody(message([node('a', 'succeeded')], { status: 'succeeded', exitCode: 0 })) as { text: string; blocks: Block[] };
    expect(s.text).toBe('[flow] wf succeeded');
    expect(s.blocks.map((b) => b.type)).toEqual(['header', 'section']);
  });
});

type Card = {
  type: string;
  attachments: {
    contentType: string;
    content: { type: string; version: string; body: { type: string; text?: string; color?: string; facts?: unknown[] }[] };
  }[];
};

describe('teamsBody', () => {
  it('is one Adaptive Card in a message, with a FactSet of the run', () => {
    const t = teamsBody(failedMessage()) as Card;
    expect(t.type).toBe('message');
    expect(t.attachments).toHaveLength(1);
    const card = t.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(card.content.body[0]).toMatchObject({ type: 'TextBlock', text: '[flow] wf failed: validate (ValueError)', color: 'Attention' });
    const facts = card.content.body.find((b) => b.type === 'FactSet')!.facts;
    expect(facts).toEqual([
      { title: 'Run', value: RUN_ID },
      { title: 'Status', value: 'failed (exit 1)' },
      { title: 'Logical date', value: '2026-01-01T00:00:00Z' },
      { title: 'Run directory', value: '/runs/a&b/<wf>' },
    ]);
  });

  it('shows the failure, its cell, the last 8 traceback lines, what was skipped and the next step', () => {
    const body = (teamsBody(failedMessage()) as Card).attachments[0]!.content.body;
    expect(body.map((b) => b.type)).toEqual(['TextBlock', 'FactSet', 'TextBlock', 'CodeBlock', 'TextBlock', 'TextBlock', 'TextBlock']);
    expect(body[2]!.text).toBe('validate: ValueError: a < b & c > d (cell 2)');
    expect(body[3]).toMatchObject({ language: 'Python', codeSnippet: 'if a < b & c > d:\n    raise ValueError' });
    expect(body[4]!.text).toBe(Array.from({ length: 8 }, (_, i) => `tb line ${i + 4}`).join('\n'));
    expect(body[5]!.text).toBe('Skipped: publish (upstream failed: validate)');
    expect(body[6]!.text).toBe(`Next step: fix the cause, then \`flow resume ${RUN_ID}\``);
  });

  it('a success is Good', () => {
    const t = teamsBody(message([node('a', 'succeeded')], { status: 'succeeded', exitCode: 0 })) as Card;
    expect(t.attachments[0]!.content.body[0]!.color).toBe('Good');
    expect(t.attachments[0]!.content.body.map((b) => b.type)).toEqual(['TextBlock', 'FactSet']);
  });
});

describe('webhookBody', () => {
  it('chooses the format; json is flow.notification/1 itself', () => {
    const m = failedMessage();
    expect(webhookBody('slack', m)).toEqual(slackBody(m));
    expect(webhookBody('teams', m)).toEqual(teamsBody(m));
    expect(webhookBody('json', m)).toBe(m.body);
    expect(JSON.parse(JSON.stringify(webhookBody('json', m)))).toMatchObject({
      schema: 'flow.notification/1',
      event: 'failure',
      run_id: RUN_ID,
    });
  });
});

// buildMessage's plain-text and HTML bodies: what failed, where, the cell, the traceback, and the next step.
import { describe, expect, it } from 'vitest';
import type { NodeError } from '../../../src/events/run-event.js';
import type { NodeState } from '../../../src/events/run-state.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { buildMessage } from '../../../src/notify/message.js';
import type { ReportRun } from '../../../src/summary/report-page.js';

const RUN_ID = '20260101-000000-abcd';
const RUN_DIR = '/runs/wf/20260101-000000-abcd';

function node(id: string, status: NodeState['status'], extra: Partial<NodeState> = {}): NodeState {
  return { id, notebook: `${id}.ipynb`, status, attempts: [], lastOutput: [], ...extra };
}

function report(nodes: NodeState[], run: Partial<RunRecord> = {}, failingCells: Record<string, string> = {}): ReportRun {
  const record: RunRecord = {
    schemaVersion: 1,
    flowVersion: '0.0.0',
    workflowHash: '',
    workflowSnapshot: {} as RunRecord['workflowSnapshot'],
    updatedAt: '2026-01-01T00:00:05Z',
    runId: RUN_ID,
    workflow: 'wf',
    workflowFile: '/w/wf.yml',
    runDir: RUN_DIR,
    params: {},
    startedAt: '2026-01-01T00:00:00Z',
    status: 'failed',
    exitCode: 1,
    durationMs: 5200,
    logs: [],
    nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
    ...run,
  };
  return {
    run: record,
    runDir: record.runDir,
    gallery: { run: record, notebooks: [], items: [], problems: [] },
    missing: [],
    failingCells,
  };
}

// 25 lines of coloured traceback: only the last 20 are kept, after a `…`.
const traceback = [
  '\x1b[31m---------------------------------------------------------------------------\x1b[39m',
  '\x1b[31mValueError\x1b[39m                                Traceback (most recent call last)',
  ...Array.from({ length: 22 }, (_, i) => `\x1b[32mframe ${i}\x1b[39m`),
  '\x1b[31mValueError\x1b[39m: bad <rows>',
];
const error: NodeError = {
  errorClass: 'error',
  message: 'ValueError: bad <rows>',
  cell: 2,
  executionCount: 3,
  ename: 'ValueError',
  evalue: 'bad <rows>',
  traceback,
};
const source = Array.from({ length: 14 }, (_, i) => `line${i} = ${i}`).join('\n');

const failedRun = () =>
  report(
    [
      node('load', 'succeeded'),
      node('validate', 'failed', {
        error,
        notebookPath: '/runs/wf/x/validate.ipynb',
        attempts: [
          { attempt: 1, startedAt: '2026-01-01T00:00:01Z', error },
          { attempt: 2, startedAt: '2026-01-01T00:00:02Z', error },
        ],
      }),
      node('publish', 'skipped', { skip: { kind: 'upstream_failed', upstream: ['validate'] } }),
      node('tidy', 'skipped', { skip: { kind: 'condition_false', expression: 'params.tidy', operands: {} } }),
      node('later', 'pending'),
      node('train', 'cancelled'),
      node('notify', 'upstream_failed'),
    ],
    { host: 'box' },
    { validate: source },
  );

describe('buildMessage: the text body', () => {
  const text = buildMessage(failedRun(), { event: 'failure', report: `${RUN_DIR}/report.html` }).text;

  it('says what, where and when, in aligned facts', () => {
    expect(text.split('\n').slice(0, 8)).toEqual([
      'wf failed: validate (ValueError)',
      '',
      'Workflow      wf (/w/wf.yml)',
      `Run           ${RUN_ID}`,
      'Logical date  2026-01-01T00:00:00Z',
      'Status        failed, exit code 1, after 5.2 s',
      'Started       2026-01-01T00:00:00Z',
      'Host          box',
    ]);
  });

  it('names the failed node, its exception, cell and attempts, and shows the cell', () => {
    expect(text).toContain(
      'Failed:\n  validate: ValueError: bad <rows> in cell 2 (In [3]), after 2 attempts\n    the cell:\n    | line0 = 0\n',
    );
    expect(text).toContain('    | line11 = 11\n    | …\n    traceback:\n');
    expect(text).not.toContain('line12');
    expect(text).toContain('    notebook: /runs/wf/x/validate.ipynb');
  });

  it('keeps the last 20 lines of the traceback, without ANSI codes', () => {
    expect(text).not.toContain('\x1b');
    const tb = text.split('    traceback:\n')[1]!.split('\n    notebook:')[0]!.split('\n');
    expect(tb).toHaveLength(21);
    expect(tb[0]).toBe('    …');
    expect(tb[1]).toBe('    frame 3');
    expect(tb.at(-1)).toBe('    ValueError: bad <rows>');
    expect(text).not.toContain('Traceback (most recent call last)');
  });

  it('says what was skipped and why, what never ran, where the run is, and how to repair it', () => {
    expect(text).toContain('\nSkipped: publish (upstream failed: validate); tidy (if params.tidy was false)\n');
    expect(text).toContain('\nNever ran: later, train, notify\n');
    expect(text).toContain(`\nRun directory: ${RUN_DIR}\nReport: ${RUN_DIR}/report.html\n`);
    expect(text).toMatch(
      new RegExp(`Next step: fix the cause, then \`flow resume ${RUN_ID}\` re-runs what failed and reuses what succeeded\\.\\n$`),
    );
  });

  it('a short traceback is kept whole, without a `…`', () => {
    const short: NodeError = { ...error, traceback: ['\x1b[31mKeyError\x1b[39m: x'], cell: 0, executionCount: null };
    const t = buildMessage(report([node('a', 'failed', { error: short })]), { event: 'failure' }).text;
    expect(t).toContain('  a: ValueError: bad <rows> in cell 0\n    traceback:\n    KeyError: x\n');
  });

  it('a success says it succeeded, with no next step', () => {
    const t = buildMessage(report([node('load', 'succeeded')], { status: 'succeeded', exitCode: 0 }), { event: 'success' }).text;
    expect(t.startsWith('wf succeeded\n')).toBe(true);
    expect(t).toContain('Status        succeeded, exit code 0, after 5.2 s');
    expect(t).toContain(`Run directory: ${RUN_DIR}`);
    expect(t).not.toContain('flow resume');
    expect(t).not.toContain('Failed:');
  });

  it('a cancelled run is told how to resume', () => {
    const t = buildMessage(report([node('train', 'cancelled')], { status: 'cancelled', exitCode: 130 }), { event: 'cancelled' }).text;
    expect(t).toContain('Never ran: train');
    expect(t).toContain(`flow resume ${RUN_ID}`);
  });

  it('a test message says so', () => {
    const t = buildMessage(report([], { status: 'succeeded' }), { event: 'test' }).text;
    expect(t).toContain('This is a test of the channel (flow notify --test): no run ended.');
  });

  it('a failure without an exception shows its message; continue_on_error is said', () => {
    const timeout: NodeError = { errorClass: 'timeout', message: 'cell 1 ran past 30 s' };
    const t = buildMessage(report([node('slow', 'failed', { error: timeout, continueOnError: true })]), { event: 'failure' }).text;
    expect(t).toContain('  slow: cell 1 ran past 30 s (continue_on_error: the run went on)\n');
  });

  // A subject prefix with a space in it ("[Data team]") is cut at its first space in the heading.
  it('the heading drops the whole subject prefix, even one with a space', () => {
    const m = buildMessage(report([node('load', 'succeeded')], { status: 'succeeded' }), {
      event: 'success',
      subjectPrefix: '[Data team]',
    });
    expect(m.subject).toBe('[Data team] wf succeeded');
    expect(m.text.split('\n')[0]).toBe('wf succeeded');
  });
});

describe('buildMessage: the HTML body', () => {
  const html = buildMessage(failedRun(), { event: 'failure' }).html;

  it('escapes what the notebook raised', () => {
    const evil: NodeError = { errorClass: 'error', message: 'x', ename: 'ValueError', evalue: '<script>alert(1)</script>' };
    const h = buildMessage(report([node('a', 'failed', { error: evil })], {}, { a: 'print("<b>")' }), { event: 'failure' }).html;
    expect(h).not.toContain('<script>');
    expect(h).toContain('ValueError: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(h).toContain('print(&quot;&lt;b&gt;&quot;)');
  });

  it('holds the same facts as the text', () => {
    expect(html).toContain('<h2 style="color:#c62828;margin:0 0 8px">wf failed: validate (ValueError)</h2>');
    for (const [k, v] of [
      ['Workflow', 'wf (/w/wf.yml)'],
      ['Run', RUN_ID],
      ['Logical date', '2026-01-01T00:00:00Z'],
      ['Status', 'failed, exit code 1, after 5.2 s'],
      ['Host', 'box'],
    ]) {
      expect(html).toContain(`<th align="left" style="padding:2px 12px 2px 0">${k}</th><td>${v}</td>`);
    }
    expect(html).toContain('validate: ValueError: bad &lt;rows&gt;</h3>');
    expect(html).toContain('cell 2 (In [3]), after 2 attempts · notebook <code>validate.ipynb</code>');
    expect(html).toContain('line11 = 11\n…</pre>');
    expect(html).not.toContain('\x1b');
    expect(html).toContain('<b>Skipped:</b> publish (upstream failed: validate); tidy (if params.tidy was false)');
    expect(html).toContain('<b>Never ran:</b> later, train, notify');
    expect(html).toContain(`Run directory: <code>${RUN_DIR}</code>`);
    expect(html).toContain(`<code>flow resume ${RUN_ID}</code>`);
  });

  it('a success is green, with no next step', () => {
    const h = buildMessage(report([node('load', 'succeeded')], { status: 'succeeded', exitCode: 0 }), { event: 'success' }).html;
    expect(h).toContain('<h2 style="color:#2e7d32;margin:0 0 8px">wf succeeded</h2>');
    expect(h).not.toContain('Next step');
  });
});

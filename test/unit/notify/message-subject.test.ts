// buildMessage's subject (what a person filters on) and flow's own JSON body, from RunRecord fixtures.
import { describe, expect, it } from 'vitest';
import type { NodeError } from '../../../src/events/run-event.js';
import type { NodeState } from '../../../src/events/run-state.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { buildMessage } from '../../../src/notify/message.js';
import type { ReportRun } from '../../../src/summary/report-page.js';

const RUN_ID = '20260101-000000-abcd';

function node(id: string, status: NodeState['status'], extra: Partial<NodeState> = {}): NodeState {
  return { id, notebook: `${id}.ipynb`, status, attempts: [], lastOutput: [], ...extra };
}

function err(ename: string, evalue: string, extra: Partial<NodeError> = {}): NodeError {
  return { errorClass: 'error', message: `${ename}: ${evalue}`, ename, evalue, ...extra };
}

function failed(id: string, error: NodeError, extra: Partial<NodeState> = {}): NodeState {
  return node(id, 'failed', { error, attempts: [{ attempt: 1, startedAt: '2026-01-01T00:00:01Z', error }], ...extra });
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
    runDir: '/runs/wf/20260101-000000-abcd',
    params: {},
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:05Z',
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

const ok = (id: string) => node(id, 'succeeded');
const validateFailed = failed('validate', err('ValueError', 'bad rows', { cell: 2, executionCount: 3 }));

describe('buildMessage: the subject', () => {
  it('names the node that failed the run and its exception', () => {
    const m = buildMessage(report([ok('load'), validateFailed]), { event: 'failure' });
    expect(m.subject).toBe('[flow] wf failed: validate (ValueError)');
  });

  it('says how many more failed', () => {
    const m = buildMessage(report([validateFailed, failed('check', err('KeyError', "'x'"))]), { event: 'failure' });
    expect(m.subject).toBe('[flow] wf failed: validate (ValueError) and 1 more');
  });

  it('names the failure that failed the run before a continue_on_error one written earlier', () => {
    const soft = failed('lint', err('AssertionError', 'style'), { continueOnError: true });
    const m = buildMessage(report([soft, validateFailed]), { event: 'failure' });
    expect(m.subject).toBe('[flow] wf failed: validate (ValueError) and 1 more');
    expect(m.body.failed.map((f) => f.node)).toEqual(['validate', 'lint']);
    expect(m.body.failed[1]!.continue_on_error).toBe(true);
    expect(m.body.failed[0]).not.toHaveProperty('continue_on_error');
  });

  it('names a matrix instance by its index', () => {
    const audit = node('audit', 'failed', {
      instances: [ok('audit'), ok('audit'), failed('audit', err('AssertionError', 'rows < 10'))],
    });
    const m = buildMessage(report([audit]), { event: 'failure' });
    expect(m.subject).toBe('[flow] wf failed: audit[2] (AssertionError)');
    expect(m.body.failed).toMatchObject([{ node: 'audit', instance: 2, ename: 'AssertionError' }]);
  });

  it('falls back to the error class without an exception name', () => {
    const timeout: NodeError = { errorClass: 'timeout', message: 'cell 1 ran past 30 s' };
    expect(buildMessage(report([failed('slow', timeout)]), { event: 'failure' }).subject).toBe('[flow] wf failed: slow (timeout)');
  });

  it('success, recovered, test and cancelled', () => {
    const done = report([ok('load')], { status: 'succeeded', exitCode: 0 });
    expect(buildMessage(done, { event: 'success' }).subject).toBe('[flow] wf succeeded');
    expect(buildMessage(done, { event: 'recovered' }).subject).toBe('[flow] wf recovered');
    expect(buildMessage(done, { event: 'test' }).subject).toBe('[flow] wf test message');
    const cancelled = report([ok('load'), node('train', 'cancelled')], { status: 'cancelled', exitCode: 130 });
    expect(buildMessage(cancelled, { event: 'cancelled' }).subject).toBe('[flow] wf cancelled');
  });

  it('subjectPrefix replaces [flow]', () => {
    expect(buildMessage(report([validateFailed]), { event: 'failure', subjectPrefix: '[returns]' }).subject).toBe(
      '[returns] wf failed: validate (ValueError)',
    );
  });
});

describe('buildMessage: the JSON body', () => {
  it('is flow.notification/1 with every failed node, what was skipped and what never ran', () => {
    const lint = failed('lint', err('AssertionError', 'style', { cell: 0, executionCount: 1 }), { continueOnError: true });
    const data = report(
      [
        ok('load'),
        validateFailed,
        lint,
        node('publish', 'skipped', { skip: { kind: 'upstream_failed', upstream: ['validate'] } }),
        node('fine', 'skipped', {
          skip: { kind: 'branch_not_taken', by: 'decide', chose: 'broken', because: 'x', operands: {}, rejected: [] },
        }),
        node('later', 'pending'),
        node('train', 'cancelled'),
        node('notify', 'upstream_failed'),
      ],
      { host: 'box', resumedFrom: '20251231-000000-0000' },
      { validate: 'rows = load()\nraise ValueError("bad rows")' },
    );
    const b = buildMessage(data, { event: 'failure', report: '/runs/wf/x/report.html' }).body;
    expect(b).toEqual({
      schema: 'flow.notification/1',
      event: 'failure',
      workflow: 'wf',
      workflow_file: '/w/wf.yml',
      run_id: RUN_ID,
      status: 'failed',
      exit_code: 1,
      started_at: '2026-01-01T00:00:00Z',
      finished_at: '2026-01-01T00:00:05Z',
      duration_ms: 5200,
      logical_date: '2026-01-01T00:00:00Z',
      host: 'box',
      run_dir: '/runs/wf/20260101-000000-abcd',
      report: '/runs/wf/x/report.html',
      resumed_from: '20251231-000000-0000',
      failed: [
        {
          node: 'validate',
          error_class: 'error',
          ename: 'ValueError',
          evalue: 'bad rows',
          message: 'ValueError: bad rows',
          cell: 2,
          execution_count: 3,
          cell_source: 'rows = load()\nraise ValueError("bad rows")',
          attempts: 1,
        },
        {
          node: 'lint',
          error_class: 'error',
          ename: 'AssertionError',
          evalue: 'style',
          message: 'AssertionError: style',
          cell: 0,
          execution_count: 1,
          attempts: 1,
          continue_on_error: true,
        },
      ],
      skipped: [
        { node: 'publish', why: 'upstream failed: validate' },
        { node: 'fine', why: 'decide chose broken' },
      ],
      not_run: ['later', 'train', 'notify'],
      next_step: `flow resume ${RUN_ID}`,
    });
  });

  it('a matrix instance carries its index and the failing cell of `node[i]`', () => {
    const audit = node('audit', 'failed', {
      instances: [failed('audit', err('AssertionError', 'rows < 10', { cell: 1, executionCount: 2 }))],
    });
    const b = buildMessage(report([audit], {}, { 'audit[0]': 'assert rows >= 10' }), { event: 'failure' }).body;
    expect(b.failed).toEqual([
      expect.objectContaining({ node: 'audit', instance: 0, cell: 1, execution_count: 2, cell_source: 'assert rows >= 10' }),
    ]);
  });

  it('a success has no next step; nulls for what is not known; logical_date is the start without a logical date', () => {
    const b = buildMessage(
      report([ok('load')], { status: 'succeeded', exitCode: undefined, durationMs: undefined, finishedAt: undefined }),
      {
        event: 'success',
      },
    ).body;
    expect(b).toMatchObject({
      event: 'success',
      failed: [],
      skipped: [],
      not_run: [],
      next_step: null,
      exit_code: null,
      duration_ms: null,
    });
    expect(b).toMatchObject({ finished_at: null, host: null, report: null, resumed_from: null, logical_date: '2026-01-01T00:00:00Z' });
  });

  it('a logical date, when the record has one, wins over the start', () => {
    const data = report([ok('load')], { status: 'succeeded', logicalDate: '2025-12-31T00:00:00Z' } as Partial<RunRecord>);
    expect(buildMessage(data, { event: 'success' }).body.logical_date).toBe('2025-12-31T00:00:00Z');
  });

  it('a cancelled run can be resumed', () => {
    const b = buildMessage(report([node('train', 'cancelled')], { status: 'cancelled' }), { event: 'cancelled' }).body;
    expect(b).toMatchObject({ event: 'cancelled', next_step: `flow resume ${RUN_ID}`, not_run: ['train'] });
  });

  it('a failed node without an error record is not listed', () => {
    expect(buildMessage(report([node('ghost', 'failed')]), { event: 'failure' }).subject).toBe('[flow] wf failed');
  });
});

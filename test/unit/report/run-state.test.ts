// reduceRunState: the fold the live view and the ledger rely on.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { countStatuses, initialRunState, reduceRunState, type RunState } from '../../../src/events/run-state.js';
import {
  buildEventScript,
  eventsUntil,
  exportError,
  kernelDiedError,
  scriptAt,
  scriptRunDir,
  scriptStart,
} from '../../helpers/event-script.js';

const fold = (events: RunEvent[], from: RunState = initialRunState()) => events.reduce(reduceRunState, from);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const started: RunEvent = {
  type: 'run_started',
  at: scriptAt(0),
  runId: 'r1',
  workflow: 'w',
  workflowFile: 'w.yml',
  runDir: 'runs/r1',
  params: { p: 1 },
  nodes: [
    { id: 'a', notebook: 'a.ipynb' },
    { id: 'm', notebook: 'm.ipynb', instances: 2 },
  ],
};
const output = (text: string): RunEvent => ({ type: 'node_output', at: scriptAt(1), node: 'a', attempt: 1, stream: 'stdout', text });
const begin: RunEvent = {
  type: 'node_started',
  at: scriptAt(1),
  node: 'a',
  attempt: 1,
  maxAttempts: 2,
  notebookPath: 'a.ipynb',
  params: {},
};

describe('reduceRunState over the scripted run', () => {
  const final = fold(buildEventScript());

  it('keeps the run facts and nodes in plan order', () => {
    expect(final).toMatchObject({
      runId: '20261126T093000Z-3f9a',
      workflow: 'hesa-return',
      workflowFile: 'workflows/hesa-return.yml',
      runDir: scriptRunDir,
      params: { year: 2025, period: 'P2' },
      startedAt: scriptAt(0),
      finishedAt: scriptAt(9000),
      status: 'failed',
      exitCode: 1,
      durationMs: 9000,
    });
    expect(Object.keys(final.nodes)).toEqual(['extract', 'audit', 'validate', 'error_report', 'export', 'summary', 'alert']);
  });

  it('ends every node in the status its node_finished said', () => {
    expect(Object.fromEntries(Object.values(final.nodes).map((n) => [n.id, n.status]))).toEqual({
      extract: 'succeeded',
      audit: 'skipped',
      validate: 'succeeded',
      error_report: 'skipped',
      export: 'failed',
      summary: 'upstream_failed',
      alert: 'succeeded',
    });
    expect(countStatuses(final)).toEqual({ succeeded: 3, skipped: 2, failed: 1, upstream_failed: 1 });
  });

  it('records each attempt, the failed one with its error', () => {
    const extract = final.nodes.extract;
    expect(extract.attempts).toEqual([
      {
        attempt: 1,
        startedAt: scriptAt(10),
        finishedAt: scriptAt(1500),
        notebookPath: `${scriptRunDir}/extract.attempt-1.ipynb`,
        error: kernelDiedError,
      },
      {
        attempt: 2,
        startedAt: scriptAt(3500),
        finishedAt: scriptAt(5600),
        notebookPath: `${scriptRunDir}/extract.ipynb`,
        error: undefined,
      },
    ]);
    expect(extract).toMatchObject({
      maxAttempts: 3,
      startedAt: scriptAt(10),
      finishedAt: scriptAt(5600),
      durationMs: 5590,
      outputs: { rows: 120, path: 'out/students.csv' },
      notebookPath: `${scriptRunDir}/extract.ipynb`,
      error: undefined,
      retryAt: undefined,
    });
  });

  it('keeps the branch decision and the skip reasons as data', () => {
    expect(final.nodes.validate.branch).toEqual({
      chose: 'export',
      because: 'otherwise',
      operands: { 'outputs.errors': 0n },
      rejected: ['outputs.errors > 0'],
    });
    expect(final.nodes.error_report.skip).toMatchObject({ kind: 'branch_not_taken', by: 'validate', chose: 'export' });
    expect(final.nodes.audit.skip).toEqual({
      kind: 'condition_false',
      expression: 'params.period == "P3"',
      operands: { 'params.period': 'P2' },
    });
    expect(final.nodes.summary.skip).toEqual({ kind: 'upstream_failed', upstream: ['export'] });
  });

  it('keeps matrix instances apart, with their own outcome', () => {
    const [first, second] = final.nodes.export.instances!;
    expect(first).toMatchObject({ status: 'succeeded', outputs: { xml_path: 'out/return.xml' }, durationMs: 1190 });
    expect(second).toMatchObject({ status: 'failed', error: exportError, notebookPath: `${scriptRunDir}/export.1.ipynb` });
    expect(final.nodes.export.startedAt).toBe(scriptAt(7010));
  });

  it('never mutates its input and always returns a new state', () => {
    let state = deepFreeze(initialRunState());
    for (const ev of buildEventScript().map(deepFreeze)) {
      const next = reduceRunState(state, ev);
      expect(next).not.toBe(state);
      state = deepFreeze(next);
    }
    expect(state).toEqual(final);
  });
});

describe('reduceRunState, event by event', () => {
  it('creates pending nodes and matrix instances at run_started', () => {
    const s = fold([started]);
    expect(s.nodes.a).toEqual({ id: 'a', notebook: 'a.ipynb', status: 'pending', attempts: [], lastOutput: [] });
    expect(s.nodes.m.instances).toHaveLength(2);
    expect(s.nodes.m.instances![1]).toMatchObject({ id: 'm', status: 'pending' });
  });

  it('goes retrying with a countdown target, then running again with a fresh attempt', () => {
    const failed: RunEvent = {
      type: 'attempt_failed',
      at: scriptAt(2000),
      node: 'a',
      attempt: 1,
      error: kernelDiedError,
      notebookPath: 'a.attempt-1.ipynb',
      retryInMs: 4000,
    };
    const cell: RunEvent = { type: 'cell_started', at: scriptAt(1500), node: 'a', attempt: 1, cell: 1, total: 3 };
    const retrying = fold([started, begin, cell, output('x\n'), failed]);
    expect(retrying.nodes.a).toMatchObject({ status: 'retrying', retryAt: scriptStart + 6000, error: kernelDiedError });
    const again = fold([{ ...begin, at: scriptAt(6000), attempt: 2, notebookPath: 'a.ipynb' }], retrying);
    expect(again.nodes.a).toMatchObject({
      status: 'running',
      retryAt: undefined,
      cell: undefined,
      totalCells: undefined,
      cellsDone: undefined,
      lastOutput: [],
      startedAt: scriptAt(1),
    });
    expect(again.nodes.a.attempts.map((a) => a.attempt)).toEqual([1, 2]);
  });

  it('stays running after a final failed attempt until node_finished', () => {
    const failed: RunEvent = {
      type: 'attempt_failed',
      at: scriptAt(2),
      node: 'a',
      attempt: 1,
      error: exportError,
      notebookPath: 'a.ipynb',
    };
    expect(fold([started, begin, failed]).nodes.a).toMatchObject({ status: 'running', retryAt: undefined, error: exportError });
  });

  it('counts finished cells for the progress bar', () => {
    const s1 = fold([started, begin, { type: 'cell_started', at: scriptAt(2), node: 'a', attempt: 1, cell: 2, total: 5 }]);
    expect(s1.nodes.a).toMatchObject({ cell: 2, totalCells: 5, cellsDone: 2 });
    const s2 = fold([{ type: 'cell_finished', at: scriptAt(3), node: 'a', attempt: 1, cell: 2, total: 5, ok: true }], s1);
    expect(s2.nodes.a).toMatchObject({ cell: 2, totalCells: 5, cellsDone: 3 });
  });

  it('joins output chunks into lines, as a terminal would show them', () => {
    const lines = (...chunks: string[]) => fold([started, begin, ...chunks.map(output)]).nodes.a;
    expect(lines('a\nb', 'c\n', 'd').lastOutput).toEqual(['a', 'bc', 'd']);
    expect(lines('a\nb', 'c\n', 'd').outputOpen).toBe(true);
    expect(lines('a\n').outputOpen).toBe(false);
    expect(lines('x\r\n\n\ny\r\n').lastOutput).toEqual(['x', 'y']);
    // tqdm redraws its line with \r: only the latest state of the line is kept.
    expect(lines('\r 10%|#', '\r 50%|#####', '\r100%|##########|\n', 'done\n').lastOutput).toEqual(['100%|##########|', 'done']);
    expect(lines('1\n2\n3\n4\n5\n6\n7\n').lastOutput).toEqual(['3', '4', '5', '6', '7']);
    expect(lines('z'.repeat(5000)).lastOutput[0]).toHaveLength(1000);
  });

  it('rolls a matrix node up: queued, then running while an instance runs, final only by its node_finished', () => {
    const q = fold([started, { type: 'node_queued', at: scriptAt(1), node: 'm', instance: 0 }]);
    expect(q.nodes.m.status).toBe('queued');
    const r = fold([{ ...begin, node: 'm', instance: 1, at: scriptAt(2) }], q);
    expect(r.nodes.m).toMatchObject({ status: 'running', startedAt: scriptAt(2) });
    const done = fold(
      [0, 1].map(
        (i): RunEvent => ({
          type: 'node_finished',
          at: scriptAt(3),
          node: 'm',
          instance: i,
          status: 'succeeded',
          attempts: 1,
          durationMs: 1,
        }),
      ),
      r,
    );
    expect(done.nodes.m.status).toBe('running');
    const fin = fold([{ type: 'node_finished', at: scriptAt(4), node: 'm', status: 'succeeded', attempts: 1, durationMs: 2 }], done);
    expect(fin.nodes.m.status).toBe('succeeded');
    expect(fin.nodes.m.instances!.map((i) => i.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('appends logs and tolerates events for a node it has not heard of', () => {
    const s = fold([
      started,
      { type: 'log', at: scriptAt(1), level: 'warn', message: 'no parameters cell', node: 'a' },
      { type: 'node_queued', at: scriptAt(1), node: 'ghost' },
    ]);
    expect(s.logs).toEqual([{ level: 'warn', message: 'no parameters cell', node: 'a' }]);
    expect(s.nodes.ghost).toMatchObject({ id: 'ghost', status: 'queued' });
  });

  it('keeps the running notebook path when node_finished has none', () => {
    const s = fold([
      started,
      begin,
      { type: 'node_finished', at: scriptAt(5), node: 'a', status: 'cancelled', attempts: 1, durationMs: 4 },
    ]);
    expect(s.nodes.a).toMatchObject({ status: 'cancelled', notebookPath: 'a.ipynb' });
    expect(s.nodes.a.attempts[0].finishedAt).toBe(scriptAt(5));
  });

  it('stops at any prefix of the script in a consistent state', () => {
    const mid = fold(eventsUntil(buildEventScript(), (e) => e.type === 'branch_decided'));
    expect(mid.status).toBe('running');
    expect(mid.nodes.validate).toMatchObject({ status: 'running', cell: 1, totalCells: 2, cellsDone: 2 });
  });
});

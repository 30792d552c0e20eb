import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunState } from '../../../src/events/run-state.js';
import { planResume } from '../../../src/engine/plan-resume.js';
import { checkResumeCompatible, resumeParams } from '../../../src/ledger/resume.js';
import { loadRun } from '../../../src/ledger/load-run.js';
import type { Workflow } from '../../../src/workflow/types.js';
import { makeNode, makePlan } from '../engine/plan-fixture.js';
import { fixture, recordRun } from './ledger-fixture.js';

function stateWith(statuses: Record<string, string>, outputs: Record<string, Record<string, unknown>> = {}): RunState {
  const nodes = Object.fromEntries(
    Object.entries(statuses).map(([id, status]) => [id, { id, notebook: '', status, attempts: [], lastOutput: [], outputs: outputs[id] }]),
  );
  return {
    runId: 'r0',
    workflow: 'wf',
    workflowFile: '',
    runDir: '',
    params: {},
    startedAt: '',
    status: 'failed',
    nodes,
    logs: [],
  } as RunState;
}

describe('planResume', () => {
  const plan = makePlan({
    a: {},
    b: { needs: ['a'] },
    c: { needs: ['b'] },
    d: { needs: ['a'] },
    e: { needs: ['d'] },
    f: {},
  });

  it('re-runs what did not succeed and everything downstream; reuses the rest', () => {
    const prev = stateWith(
      { a: 'succeeded', b: 'failed', c: 'upstream_failed', d: 'succeeded', e: 'succeeded', f: 'cancelled' },
      { a: { x: 1 }, d: { y: 2 } },
    );
    expect(planResume(prev, plan)).toEqual({
      reuse: {
        a: { status: 'succeeded', outputs: { x: 1 } },
        d: { status: 'succeeded', outputs: { y: 2 } },
        e: { status: 'succeeded', outputs: {} },
      },
      rerun: ['b', 'c', 'f'],
    });
  });

  it('re-runs a succeeded node downstream of one that never ran, and nodes new to the workflow', () => {
    const prev = stateWith({ a: 'succeeded', b: 'pending', c: 'succeeded', d: 'running', e: 'skipped' });
    expect(planResume(prev, plan)).toEqual({ reuse: { a: { status: 'succeeded', outputs: {} } }, rerun: ['b', 'c', 'd', 'e', 'f'] });
  });

  it('decides skipped nodes again without re-running what depends on them', () => {
    const p = makePlan({ v: { next: [{ goto: 'x' }, { goto: 'y' }] }, x: {}, y: {}, j: { needs: ['x', 'y'] }, k: {} });
    const prev = stateWith({ v: 'succeeded', x: 'succeeded', y: 'skipped', j: 'succeeded', k: 'failed' });
    expect(planResume(prev, p).rerun).toEqual(['y', 'k']);
  });
});

describe('resuming a recorded run', () => {
  it('re-runs the failed node and reuses recorded outputs', async () => {
    const f = fixture();
    await recordRun(f, { a: { outputs: { n: 9 } }, c: { fail: 'error' } }, { runId: '20261126T093000Z-aaaa' });
    const previous = await loadRun('20261126T093000Z-aaaa', f.runsDir);
    expect(await checkResumeCompatible(previous, f.wf)).toEqual([]);
    const { reuse, rerun } = planResume(previous, f.plan);
    expect(rerun).toEqual(['c']);
    const { summary, ledger } = await recordRun(f, {}, { runId: '20261126T100000Z-bbbb', reuse, resumedFrom: previous.runId });
    expect(Object.fromEntries(Object.entries(summary.nodes).map(([id, n]) => [id, [n.status, n.reused ?? false]]))).toEqual({
      a: ['succeeded', true],
      b: ['succeeded', true],
      c: ['succeeded', false],
    });
    expect(ledger.state.resumedFrom).toBe('20261126T093000Z-aaaa');
    expect(ledger.state.nodes.a.outputs).toEqual({ n: 9 });
  });
});

describe('checkResumeCompatible', () => {
  it('refuses when a succeeded node was removed or its notebook, params, outputs or matrix changed', async () => {
    const f = fixture();
    await recordRun(f, { a: { outputs: { n: 9 } } }, { runId: '20261126T093000Z-aaaa' });
    const previous = await loadRun('20261126T093000Z-aaaa', f.runsDir);
    writeFileSync(join(f.root, 'nb', 'a.ipynb'), '{"changed":true}');
    const changed: Workflow = {
      ...f.wf,
      nodes: {
        a: f.wf.nodes.a,
        b: makeNode('b', { ...f.wf.nodes.b, if: undefined, next: [], retry: undefined, params: { n: 1 }, outputs: { z: 'string' } }),
        c: makeNode('c', { ...f.wf.nodes.c, next: [], if: undefined, retry: undefined, matrix: { axes: { k: [1] } } }),
      },
    };
    expect(await checkResumeCompatible(previous, changed)).toEqual([
      'node "a": notebook nb/a.ipynb changed since run 20261126T093000Z-aaaa',
      'node "b": params changed since run 20261126T093000Z-aaaa',
      'node "b": declared outputs changed since run 20261126T093000Z-aaaa',
      'node "c": matrix changed since run 20261126T093000Z-aaaa',
    ]);
    const { c: _c, ...withoutC } = f.wf.nodes;
    void _c;
    writeFileSync(join(f.root, 'nb', 'a.ipynb'), '{"id":"a"}');
    expect(await checkResumeCompatible(previous, { ...f.wf, nodes: withoutC })).toEqual([
      'node "c" succeeded in run 20261126T093000Z-aaaa but is no longer in the workflow',
    ]);
  });

  it('ignores changes to nodes that did not succeed', async () => {
    const f = fixture();
    await recordRun(f, { a: { outputs: { n: 9 } }, c: { fail: 'error' } }, { runId: '20261126T093000Z-aaaa' });
    const previous = await loadRun('20261126T093000Z-aaaa', f.runsDir);
    const { c: _c, ...withoutC } = f.wf.nodes;
    void _c;
    expect(await checkResumeCompatible(previous, { ...f.wf, nodes: withoutC })).toEqual([]);
  });
});

describe('resumeParams', () => {
  const spec = (name: string, extra: { default?: unknown }) =>
    ({ name, type: 'string', required: !('default' in extra), pos: { line: 1, col: 1 }, ...extra }) as Workflow['params'][string];

  it("keeps the run's own params, gives a param declared since its default, and names a new required one", () => {
    const workflow = {
      params: {
        period: spec('period', {}),
        region: spec('region', { default: 'UK' }),
        owner: spec('owner', {}),
        tier: spec('tier', { default: 'gold' }),
      },
    } as unknown as Workflow;
    // The run had period (still required) and tier (its own value wins over the default).
    expect(resumeParams({ params: { period: 'P2', tier: 'silver' } }, workflow)).toEqual({
      params: { period: 'P2', tier: 'silver', region: 'UK' },
      missing: ['owner'],
      defaulted: ['region'],
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { RunIf } from '../../../src/workflow/types.js';
import type { FakeScript } from '../../helpers/fake-executor.js';
import { harness, statuses } from './harness.js';
import { makePlan, type NodeInput } from './plan-fixture.js';

/** The example workflow of DESIGN.md §2. */
const hesa: Record<string, NodeInput> = {
  extract: { params: { year: '${{ params.year }}' }, outputs: { rows: 'integer', path: 'string' } },
  validate: {
    needs: ['extract'],
    params: { path: '${{ nodes.extract.outputs.path }}' },
    outputs: { errors: 'integer', warnings: 'integer' },
    next: [{ when: 'outputs.errors > 0', goto: 'error_report' }, { goto: 'build_xml' }],
  },
  error_report: {},
  build_xml: { outputs: { xml_path: 'string' } },
  summary: { needs: ['error_report', 'build_xml'] },
  alert: { needs: ['extract', 'validate', 'build_xml'], runIf: 'one_failed' },
};

describe('runPlan: branch and join (DESIGN §2)', () => {
  it('takes the otherwise branch, joins, and skips the failure handler', async () => {
    const h = harness(makePlan(hesa), {
      extract: { outputs: { rows: 10, path: '/data/x.csv' } },
      validate: { outputs: { errors: 0, warnings: 2 } },
    });
    const summary = await h.run({ params: { year: 2025 } });
    expect(statuses(summary)).toEqual({
      extract: 'succeeded',
      validate: 'succeeded',
      error_report: 'skipped',
      build_xml: 'succeeded',
      summary: 'succeeded',
      alert: 'skipped',
    });
    expect(summary.nodes.error_report.skip).toEqual({
      kind: 'branch_not_taken',
      by: 'validate',
      chose: 'build_xml',
      because: 'otherwise',
      operands: { 'outputs.errors': 0 },
      rejected: ['outputs.errors > 0'],
    });
    expect(summary.nodes.alert.skip).toEqual({
      kind: 'trigger_rule',
      rule: 'one_failed',
      upstream: { extract: 'succeeded', validate: 'succeeded', build_xml: 'succeeded' },
    });
    expect(h.events.find((e) => e.type === 'branch_decided')).toMatchObject({
      node: 'validate',
      chose: 'build_xml',
      because: 'otherwise',
    });
    expect(h.executor.callsOf('extract')[0].params).toEqual({ year: 2025 });
    expect(h.executor.callsOf('validate')[0].params).toEqual({ path: '/data/x.csv' });
    expect(summary).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('takes the `when` branch with its operands and still joins', async () => {
    const h = harness(makePlan(hesa), {
      extract: { outputs: { rows: 10, path: 'p' } },
      validate: { outputs: { errors: 3, warnings: 0 } },
    });
    const summary = await h.run({ params: { year: 2025 } });
    expect(statuses(summary)).toMatchObject({ error_report: 'succeeded', build_xml: 'skipped', summary: 'succeeded', alert: 'skipped' });
    expect(summary.nodes.build_xml.skip).toEqual({
      kind: 'branch_not_taken',
      by: 'validate',
      chose: 'error_report',
      because: 'outputs.errors > 0',
      operands: { 'outputs.errors': 3 },
      rejected: [],
    });
    expect(summary.nodes.alert.skip).toMatchObject({ upstream: { build_xml: 'skipped' } });
  });

  it('runs the failure handler and fails the run when a branch fails', async () => {
    const h = harness(makePlan(hesa), {
      extract: { outputs: { rows: 1, path: 'p' } },
      validate: { outputs: { errors: 0, warnings: 0 } },
      build_xml: { fail: 'error' },
    });
    const summary = await h.run({ params: { year: 2025 } });
    expect(statuses(summary)).toMatchObject({ build_xml: 'failed', summary: 'upstream_failed', alert: 'succeeded' });
    expect(summary.nodes.summary.skip).toEqual({ kind: 'upstream_failed', upstream: ['build_xml'] });
    expect(summary.nodes.build_xml.error).toEqual({ errorClass: 'error', message: 'error in build_xml' });
    expect(summary).toMatchObject({ status: 'failed', exitCode: 1 });
    const finished = h.events.at(-1);
    expect(finished).toMatchObject({
      type: 'run_finished',
      status: 'failed',
      exitCode: 1,
      counts: { succeeded: 3, skipped: 1, failed: 1, upstream_failed: 1 },
    });
  });

  it('takes no branch when no `when` holds and there is no otherwise', async () => {
    const h = harness(makePlan({ v: { next: [{ when: 'outputs.n > 5', goto: 'big' }] }, big: {} }), { v: { outputs: { n: 1 } } });
    const summary = await h.run();
    expect(summary.nodes.big.skip).toEqual({
      kind: 'branch_not_taken',
      by: 'v',
      chose: null,
      because: '',
      operands: { 'outputs.n': 1 },
      rejected: ['outputs.n > 5'],
    });
    expect(summary.exitCode).toBe(0);
  });

  it('fails a node whose `next` cannot be evaluated', async () => {
    const h = harness(makePlan({ v: { next: [{ when: 'outputs.missing > 5', goto: 'big' }] }, big: {} }));
    const summary = await h.run();
    expect(summary.nodes.v).toMatchObject({ status: 'failed', error: { message: 'next: no such key: outputs.missing' } });
    expect(summary.nodes.big.status).toBe('upstream_failed');
  });
});

describe('runPlan: chains, conditions, outputs', () => {
  it('cascades a skip down a chain, each skip saying why', async () => {
    const plan = makePlan({
      a: { outputs: { n: 'integer' } },
      b: { needs: ['a'], if: 'nodes.a.outputs.n > 5' },
      c: { needs: ['b'] },
      d: { needs: ['c'] },
    });
    const h = harness(plan, { a: { outputs: { n: 2 } } });
    const summary = await h.run();
    expect(statuses(summary)).toEqual({ a: 'succeeded', b: 'skipped', c: 'skipped', d: 'skipped' });
    expect(summary.nodes.b.skip).toEqual({
      kind: 'condition_false',
      expression: 'nodes.a.outputs.n > 5',
      operands: { 'nodes.a.outputs.n': 2 },
    });
    expect(summary.nodes.c.skip).toEqual({ kind: 'upstream_skipped', upstream: ['b'] });
    expect(summary.nodes.d.skip).toEqual({ kind: 'upstream_skipped', upstream: ['c'] });
    expect(h.executor.calls.map((c) => c.node)).toEqual(['a']);
    expect(summary.exitCode).toBe(0);
  });

  it('marks everything after a failure upstream_failed', async () => {
    const h = harness(makePlan({ a: {}, b: { needs: ['a'] }, c: { needs: ['b'] } }), { a: { fail: 'error' } });
    const summary = await h.run();
    expect(statuses(summary)).toEqual({ a: 'failed', b: 'upstream_failed', c: 'upstream_failed' });
    expect(summary.nodes.c.skip).toEqual({ kind: 'upstream_failed', upstream: ['b'] });
  });

  it('passes outputs, params and run facts downstream', async () => {
    const plan = makePlan({
      a: { outputs: { path: 'string', rows: 'integer' } },
      b: {
        needs: ['a'],
        params: {
          p: '${{ nodes.a.outputs.path }}',
          rows: '${{ nodes.a.outputs.rows }}',
          label: '${{ params.period }}-${{ run.id }}',
          s: '${{ nodes.a.status }}',
        },
      },
    });
    const h = harness(plan, { a: { outputs: { path: '/x', rows: 7 } } });
    const summary = await h.run({ params: { period: 'P2' } });
    expect(h.executor.callsOf('b')[0].params).toEqual({ p: '/x', rows: 7, label: 'P2-r1', s: 'succeeded' });
    expect(summary.nodes.a.outputs).toEqual({ path: '/x', rows: 7 });
    expect(h.finished().a.outputs).toEqual({ path: '/x', rows: 7 });
  });

  it('fails a node whose params cannot be rendered, without running it', async () => {
    const h = harness(makePlan({ a: {}, b: { needs: ['a'], params: { p: '${{ nodes.a.outputs.nope }}' } } }));
    const summary = await h.run();
    expect(summary.nodes.b).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: { errorClass: 'error', message: 'params: no such key: nodes.a.outputs.nope' },
    });
    expect(h.executor.callsOf('b')).toEqual([]);
  });

  it('continue_on_error: the node ends failed, downstream runs, the run succeeds', async () => {
    const plan = makePlan({ a: { continueOnError: true }, b: { needs: ['a'], params: { s: '${{ nodes.a.status }}' } } });
    const h = harness(plan, { a: { fail: 'error' } });
    const summary = await h.run();
    expect(statuses(summary)).toEqual({ a: 'failed', b: 'succeeded' });
    expect(summary.nodes.a.continueOnError).toBe(true);
    expect(h.finished().a).toMatchObject({ status: 'failed', continueOnError: true });
    expect(h.executor.callsOf('b')[0].params).toEqual({ s: 'failed' });
    expect(summary).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('continue_on_error on a branching node takes no branch', async () => {
    const plan = makePlan({ v: { continueOnError: true, next: [{ goto: 'x' }] }, x: {} });
    const summary = await harness(plan, { v: { fail: 'error' } }).run();
    expect(summary.nodes.x.skip).toMatchObject({ kind: 'branch_not_taken', by: 'v', chose: null, because: '', rejected: [] });
  });

  it('emits events in a consistent order for one node', async () => {
    const h = harness(makePlan({ a: {} }), {
      a: {
        progress: [
          { kind: 'cell_started', cell: 0, total: 1 },
          { kind: 'output', stream: 'stdout', text: 'hi\n' },
          { kind: 'cell_finished', cell: 0, total: 1, ok: true },
        ],
      },
    });
    await h.run();
    expect(h.events.map((e) => e.type)).toEqual([
      'run_started',
      'node_queued',
      'node_started',
      'cell_started',
      'node_output',
      'cell_finished',
      'node_finished',
      'run_finished',
    ]);
    expect(h.events[2]).toMatchObject({ attempt: 1, maxAttempts: 1, notebookPath: '/runs/wf/r1/a.ipynb', at: '2026-11-26T09:30:00.000Z' });
  });

  it('hints the executor at nodes that wait only for a node that starts', async () => {
    const h = harness(makePlan({ a: {}, b: { needs: ['a'] }, x: {}, j: { needs: ['a', 'x'] } }, { concurrency: 1 }));
    await h.run();
    // b waits only for a; j waits for a and x, so it is not worth a kernel yet.
    expect(h.executor.prepared).toEqual(['b']);
  });
});

describe('runPlan: every run_if rule against every upstream status', () => {
  /** u ends with the given status; t needs u with the rule. */
  const upstreamOf: Record<string, Record<string, NodeInput>> = {
    succeeded: { u: {} },
    failed: { u: {} },
    skipped: { u: { if: 'false' } },
    upstream_failed: { root: {}, u: { needs: ['root'] } },
  };
  const expected: Record<RunIf, Record<string, string>> = {
    none_failed_min_one_success: {
      succeeded: 'succeeded',
      failed: 'upstream_failed',
      skipped: 'skipped',
      upstream_failed: 'upstream_failed',
    },
    all_success: { succeeded: 'succeeded', failed: 'upstream_failed', skipped: 'skipped', upstream_failed: 'upstream_failed' },
    all_done: { succeeded: 'succeeded', failed: 'succeeded', skipped: 'succeeded', upstream_failed: 'succeeded' },
    one_success: { succeeded: 'succeeded', failed: 'upstream_failed', skipped: 'skipped', upstream_failed: 'upstream_failed' },
    one_failed: { succeeded: 'skipped', failed: 'succeeded', skipped: 'skipped', upstream_failed: 'succeeded' },
    all_failed: { succeeded: 'skipped', failed: 'succeeded', skipped: 'skipped', upstream_failed: 'succeeded' },
    none_failed: { succeeded: 'succeeded', failed: 'upstream_failed', skipped: 'succeeded', upstream_failed: 'upstream_failed' },
  };
  for (const [rule, byStatus] of Object.entries(expected) as [RunIf, Record<string, string>][]) {
    it(rule, async () => {
      const got: Record<string, string> = {};
      for (const upstream of Object.keys(byStatus)) {
        const plan = makePlan({ ...upstreamOf[upstream], t: { needs: ['u'], runIf: rule } });
        const script: FakeScript = upstream === 'failed' ? { u: { fail: 'error' } } : { root: { fail: 'error' } };
        const summary = await harness(plan, script).run();
        expect(summary.nodes.u.status).toBe(upstream);
        got[upstream] = summary.nodes.t.status;
      }
      expect(got).toEqual(byStatus);
    });
  }
});

describe('runPlan: concurrency', () => {
  const fan = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`n${i}`, {}]));

  it('never runs more attempts than the workflow concurrency', async () => {
    const h = harness(makePlan(fan, { concurrency: 3 }), Object.fromEntries(Object.keys(fan).map((k) => [k, { durationMs: 100 }])));
    const summary = await h.run();
    expect(h.executor.maxRunning).toBe(3);
    expect(Object.values(summary.nodes).every((n) => n.status === 'succeeded')).toBe(true);
  });

  it('lets opts.concurrency override the workflow', async () => {
    const h = harness(makePlan(fan, { concurrency: 3 }), Object.fromEntries(Object.keys(fan).map((k) => [k, { durationMs: 100 }])));
    await h.run({ concurrency: 5 });
    expect(h.executor.maxRunning).toBe(5);
  });

  it('queues nodes in plan order', async () => {
    const h = harness(makePlan(fan, { concurrency: 1 }));
    await h.run();
    expect(h.executor.calls.map((c) => c.node)).toEqual(Object.keys(fan));
  });
});

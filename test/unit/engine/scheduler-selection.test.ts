import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { harness, statuses } from './harness.js';
import { makePlan } from './plan-fixture.js';

const chain = makePlan({
  a: { outputs: { x: 'integer' } },
  b: { needs: ['a'], params: { x: '${{ nodes.a.outputs.x }}' } },
  c: { needs: ['b'] },
});

describe('runPlan: reuse, --only, --from', () => {
  it('reuses recorded outputs without running the node', async () => {
    const h = harness(chain);
    const summary = await h.run({ reuse: { a: { status: 'succeeded', outputs: { x: 41 } } }, resumedFrom: 'r0' });
    expect(statuses(summary)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(h.executor.calls.map((c) => c.node)).toEqual(['b', 'c']);
    expect(h.executor.callsOf('b')[0].params).toEqual({ x: 41 });
    expect(h.finished().a).toMatchObject({ status: 'succeeded', reused: true, outputs: { x: 41 }, attempts: 0 });
    expect(h.events[0]).toMatchObject({ type: 'run_started', resumedFrom: 'r0' });
  });

  it('decides a reused node’s branch again from its recorded outputs', async () => {
    const plan = makePlan({ v: { next: [{ when: 'outputs.errors > 0', goto: 'bad' }, { goto: 'good' }] }, bad: {}, good: {} });
    const h = harness(plan);
    const summary = await h.run({ reuse: { v: { status: 'succeeded', outputs: { errors: 2 } } } });
    expect(statuses(summary)).toEqual({ v: 'succeeded', bad: 'succeeded', good: 'skipped' });
    expect(h.events.find((e) => e.type === 'branch_decided')).toMatchObject({ node: 'v', chose: 'bad' });
  });

  it('--only runs just the selected node, upstream outputs from reuse', async () => {
    const h = harness(chain);
    const summary = await h.run({ only: ['b'], reuse: { a: { status: 'succeeded', outputs: { x: 3 } } } });
    expect(statuses(summary)).toEqual({ a: 'succeeded', b: 'succeeded' });
    expect(h.executor.calls.map((c) => [c.node, c.params])).toEqual([['b', { x: 3 }]]);
    expect(h.events[0]).toMatchObject({ type: 'run_started', nodes: [{ id: 'a' }, { id: 'b' }] });
  });

  it('--only counts edges from outside the selection as succeeded, even a failed or unchosen one', async () => {
    const plan = makePlan({ v: { next: [{ goto: 'x' }] }, x: {}, y: { needs: ['v'] } });
    const h = harness(plan);
    const summary = await h.run({ only: ['y'], reuse: { v: { status: 'failed' } } });
    expect(statuses(summary)).toEqual({ v: 'failed', y: 'succeeded' });
    // The reused failure belongs to the earlier run.
    expect(summary.exitCode).toBe(0);
    const only = await harness(plan).run({ only: ['y'] });
    expect(statuses(only)).toEqual({ y: 'succeeded' });
    expect(only.exitCode).toBe(0);
  });

  it('--only fails a node that reads outputs of a node absent from the run', async () => {
    const summary = await harness(chain).run({ only: ['b'] });
    expect(summary.nodes.b).toMatchObject({ status: 'failed', error: { message: 'params: no such key: nodes.a.outputs.x' } });
  });

  it('--from runs the node and everything downstream', async () => {
    const h = harness(chain);
    const summary = await h.run({ from: 'b', reuse: { a: { status: 'succeeded', outputs: { x: 5 } } } });
    expect(statuses(summary)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(h.executor.calls.map((c) => c.node)).toEqual(['b', 'c']);
  });

  it('rejects an unknown node', async () => {
    await expect(harness(chain).run({ only: ['nope'] })).rejects.toThrow(
      new UsageError('--only names unknown node "nope"', 'nodes: a, b, c'),
    );
    await expect(harness(chain).run({ from: 'zz' })).rejects.toBeInstanceOf(UsageError);
  });
});

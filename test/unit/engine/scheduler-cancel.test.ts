import { describe, expect, it } from 'vitest';
import { harness, statuses } from './harness.js';
import { makePlan } from './plan-fixture.js';
import { settle } from '../../helpers/fake-clock.js';

describe('runPlan: cancellation', () => {
  const plan = makePlan({ a: {}, b: { needs: ['a'] }, c: {} }, { concurrency: 1 });

  it('cancels the running attempt, the queued and the pending nodes, and exits 130', async () => {
    const h = harness(plan, { a: { hang: true } });
    const controller = new AbortController();
    const running = h.run({ signal: controller.signal });
    await h.executor.started('a');
    controller.abort('SIGINT');
    const summary = await running;
    expect(statuses(summary)).toEqual({ a: 'cancelled', b: 'cancelled', c: 'cancelled' });
    expect(h.executor.calls.map((x) => x.node)).toEqual(['a']);
    expect(summary).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(h.events.at(-1)).toMatchObject({ type: 'run_finished', status: 'cancelled', exitCode: 130, counts: { cancelled: 3 } });
    // b is decided (cancelled) only once its upstream a has ended.
    const order = h.events.filter((e) => e.type === 'node_finished').map((e) => e.node);
    expect(order.indexOf('b')).toBeGreaterThan(order.indexOf('a'));
  });

  it('exits 143 when aborted for SIGTERM', async () => {
    const h = harness(plan, { a: { hang: true } });
    const controller = new AbortController();
    const running = h.run({ signal: controller.signal });
    await h.executor.started('a');
    controller.abort('SIGTERM');
    expect((await running).exitCode).toBe(143);
  });

  it('ends a retry wait early', async () => {
    const p = makePlan({ a: { retry: { attempts: 3, delay: 60_000, on: ['kernel_died'] } } });
    const h = harness(p, { a: { fail: 'kernel_died' } });
    h.clock.auto = false;
    const controller = new AbortController();
    const running = h.run({ signal: controller.signal });
    while (!h.events.some((e) => e.type === 'attempt_failed')) await settle();
    const t0 = h.clock.now();
    controller.abort();
    const summary = await running;
    expect(summary.nodes.a).toMatchObject({ status: 'cancelled', attempts: 1, error: { errorClass: 'kernel_died' } });
    expect(h.clock.now()).toBe(t0);
    expect(h.executor.calls).toHaveLength(1);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const h = harness(plan);
    const summary = await h.run({ signal: AbortSignal.abort() });
    expect(statuses(summary)).toEqual({ a: 'cancelled', b: 'cancelled', c: 'cancelled' });
    expect(h.executor.calls).toEqual([]);
  });
});

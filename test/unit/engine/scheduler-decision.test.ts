// Decision nodes in the scheduler: `next` decided from upstream outputs with no executor call.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { harness, statuses } from './harness.js';
import { makePlan, type NodeInput } from './plan-fixture.js';

/** Two audits, a decision over their verdicts, and its two branches. */
const audits: Record<string, NodeInput> = {
  rows: { outputs: { status: 'string' } },
  nulls: { outputs: { failures: 'integer' } },
  gate: {
    notebook: undefined,
    notebookAsWritten: undefined,
    needs: ['rows', 'nulls'],
    next: [
      { when: 'nodes.nulls.outputs.failures > 0', goto: 'quarantine' },
      { when: 'nodes.rows.outputs.status == "ok"', goto: 'publish' },
    ],
  },
  quarantine: {},
  publish: {},
};

const typesOf = (events: RunEvent[], node: string) => events.filter((e) => 'node' in e && e.node === node).map((e) => e.type);

describe('runPlan: decision nodes', () => {
  it('decides from upstream outputs without calling the executor, and emits a node’s events', async () => {
    const h = harness(makePlan(audits), { rows: { outputs: { status: 'ok' } }, nulls: { outputs: { failures: 0 } } });
    const summary = await h.run();
    expect(statuses(summary)).toEqual({
      rows: 'succeeded',
      nulls: 'succeeded',
      gate: 'succeeded',
      quarantine: 'skipped',
      publish: 'succeeded',
    });
    expect(h.executor.callsOf('gate')).toEqual([]);
    expect(h.executor.calls.map((c) => c.node).sort()).toEqual(['nulls', 'publish', 'rows']);
    expect(typesOf(h.events, 'gate')).toEqual(['node_queued', 'node_started', 'branch_decided', 'node_finished']);
    expect(h.events.find((e) => e.type === 'node_started' && e.node === 'gate')).toEqual({
      type: 'node_started',
      node: 'gate',
      attempt: 1,
      maxAttempts: 1,
      params: {},
      at: expect.any(String),
    });
    expect(h.events.find((e) => e.type === 'branch_decided')).toEqual({
      type: 'branch_decided',
      node: 'gate',
      chose: 'publish',
      because: 'nodes.rows.outputs.status == "ok"',
      operands: { 'nodes.nulls.outputs.failures': 0, 'nodes.rows.outputs.status': 'ok' },
      rejected: ['nodes.nulls.outputs.failures > 0'],
      at: expect.any(String),
    });
    const gate = h.finished().gate!;
    expect(gate).toMatchObject({ status: 'succeeded', attempts: 1, durationMs: 0 });
    expect(gate.notebookPath).toBeUndefined();
    expect(summary.nodes.quarantine!.skip).toMatchObject({ kind: 'branch_not_taken', by: 'gate', chose: 'publish' });
    expect(h.events[0]).toMatchObject({ type: 'run_started', nodes: expect.arrayContaining([{ id: 'gate', decision: true }]) });
  });

  it('takes the first branch whose `when` holds', async () => {
    const h = harness(makePlan(audits), { rows: { outputs: { status: 'ok' } }, nulls: { outputs: { failures: 3 } } });
    const summary = await h.run();
    expect(statuses(summary)).toMatchObject({ gate: 'succeeded', quarantine: 'succeeded', publish: 'skipped' });
    expect(h.events.find((e) => e.type === 'branch_decided')).toMatchObject({
      chose: 'quarantine',
      because: 'nodes.nulls.outputs.failures > 0',
      operands: { 'nodes.nulls.outputs.failures': 3 },
      rejected: [],
    });
  });

  it('takes no run slot: it decides while the only slot is busy', async () => {
    const plan = makePlan(
      {
        slow: {},
        gate: { notebook: undefined, next: [{ when: 'params.mode == "full"', goto: 'b' }] },
        b: {},
      },
      { concurrency: 1 },
    );
    const h = harness(plan, { slow: { durationMs: 1000 } });
    const summary = await h.run({ params: { mode: 'full' } });
    expect(statuses(summary)).toEqual({ slow: 'succeeded', gate: 'succeeded', b: 'succeeded' });
    const ends = h.events.flatMap((e) => (e.type === 'node_finished' ? [e.node] : []));
    expect(ends).toEqual(['gate', 'slow', 'b']);
    expect(h.executor.callsOf('gate')).toEqual([]);
  });

  it('fails with the expression error when a `when` cannot be evaluated, and takes no branch', async () => {
    const h = harness(makePlan(audits), { rows: { outputs: {} }, nulls: { outputs: { failures: 0 } } });
    const summary = await h.run();
    expect(statuses(summary)).toMatchObject({ gate: 'failed', quarantine: 'upstream_failed', publish: 'upstream_failed' });
    expect(summary.nodes.gate!.error).toEqual({ errorClass: 'error', message: 'next: no such key: nodes.rows.outputs.status' });
    expect(h.events.some((e) => e.type === 'branch_decided')).toBe(false);
    expect(h.finished().gate).toMatchObject({ status: 'failed', attempts: 1 });
    expect(summary).toMatchObject({ status: 'failed', exitCode: 1 });
  });

  it('with continue_on_error, a failed decision takes no branch and the run goes on', async () => {
    const plan = makePlan({ ...audits, gate: { ...audits.gate, continueOnError: true } });
    const h = harness(plan, { rows: { outputs: {} }, nulls: { outputs: { failures: 0 } } });
    const summary = await h.run();
    expect(summary.nodes.gate).toMatchObject({ status: 'failed', continueOnError: true });
    expect(statuses(summary)).toMatchObject({ quarantine: 'skipped', publish: 'skipped' });
  });

  it('is reused on resume like any succeeded node, and decides its branch again', async () => {
    const h = harness(makePlan(audits));
    const summary = await h.run({
      reuse: {
        rows: { status: 'succeeded', outputs: { status: 'ok' } },
        nulls: { status: 'succeeded', outputs: { failures: 0 } },
        gate: { status: 'succeeded', outputs: {} },
      },
      resumedFrom: 'r0',
    });
    expect(h.executor.calls.map((c) => c.node)).toEqual(['publish']);
    expect(h.finished().gate).toMatchObject({ status: 'succeeded', reused: true, attempts: 0 });
    expect(h.events.find((e) => e.type === 'branch_decided')).toMatchObject({ node: 'gate', chose: 'publish' });
    expect(statuses(summary)).toMatchObject({ quarantine: 'skipped', publish: 'succeeded' });
  });
});

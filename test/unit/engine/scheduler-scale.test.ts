import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';
import { makeWorkflow, type NodeInput } from './plan-fixture.js';
import type { Plan } from '../../../src/graph/types.js';

const N = 10_000;

/** Builds the plan directly: planOf's Kahn sort is quadratic. */
function linear(nodes: Record<string, NodeInput>, order: string[], edges: [string, string][]): Plan {
  const wf = makeWorkflow(nodes, { concurrency: 8 });
  const upstream: Record<string, string[]> = Object.fromEntries(order.map((id) => [id, []]));
  const downstream: Record<string, string[]> = Object.fromEntries(order.map((id) => [id, []]));
  for (const [from, to] of edges) {
    upstream[to].push(from);
    downstream[from].push(to);
  }
  return { workflow: wf, order, upstream, downstream, branchParents: {}, warnings: [] };
}

describe('runPlan at scale (a benchmark times it; this only checks it completes)', () => {
  it('runs a 10,000-node chain', async () => {
    const ids = Array.from({ length: N }, (_, i) => `n${i}`);
    const plan = linear(
      Object.fromEntries(ids.map((id, i) => [id, i ? { needs: [ids[i - 1]] } : {}])),
      ids,
      ids.slice(1).map((id, i) => [ids[i], id]),
    );
    const h = harness(plan);
    const summary = await h.run();
    expect(summary.exitCode).toBe(0);
    expect(h.executor.calls).toHaveLength(N);
  });

  it('cascades a skip down a 10,000-node chain without recursion', async () => {
    const ids = Array.from({ length: N }, (_, i) => `n${i}`);
    const nodes = Object.fromEntries(ids.map((id, i) => [id, i ? { needs: [ids[i - 1]] } : { if: 'false' }]));
    const summary = await harness(
      linear(
        nodes,
        ids,
        ids.slice(1).map((id, i) => [ids[i], id]),
      ),
    ).run();
    expect(summary.nodes[ids[N - 1]].skip).toEqual({ kind: 'upstream_skipped', upstream: [ids[N - 2]] });
  });

  it('runs a 10,000-node fan-out and join', async () => {
    const leaves = Array.from({ length: N - 2 }, (_, i) => `l${i}`);
    const nodes: Record<string, NodeInput> = {
      root: {},
      ...Object.fromEntries(leaves.map((l) => [l, { needs: ['root'] }])),
      join: { needs: leaves },
    };
    const edges: [string, string][] = [
      ...leaves.map((l): [string, string] => ['root', l]),
      ...leaves.map((l): [string, string] => [l, 'join']),
    ];
    const h = harness(linear(nodes, ['root', ...leaves, 'join'], edges));
    const summary = await h.run();
    expect(summary.nodes.join.status).toBe('succeeded');
    expect(h.executor.maxRunning).toBe(8);
  });
});

// buildPlan against the straightforward (quadratic) algorithms it replaced, on random DAGs:
// the same order (file order among equals), edges, branch parents and unreachable warnings.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { buildPlan } from '../../../src/graph/build-plan.js';
import type { Workflow } from '../../../src/workflow/types.js';
import { makeWorkflow, type NodeInput } from '../engine/plan-fixture.js';

/** The former build-plan.ts, given the upstream lists (those come from graphlib in both). */
function reference(workflow: Workflow, upstream: Readonly<Record<string, readonly string[]>>) {
  const ids = Object.keys(workflow.nodes);
  const rank = new Map(ids.map((id, i) => [id, i]));
  const branchParents = Object.fromEntries(
    ids.map((id) => [
      id,
      ids.filter((p) => workflow.nodes[p]!.next.some((b) => b.goto === id)).sort((a, b) => rank.get(a)! - rank.get(b)!),
    ]),
  );
  const waiting = new Map(ids.map((id) => [id, upstream[id]!.length]));
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < ids.length) {
    const next = ids.find((id) => !done.has(id) && waiting.get(id) === 0)!;
    order.push(next);
    done.add(next);
    for (const id of ids) if (upstream[id]!.includes(next)) waiting.set(id, waiting.get(id)! - 1);
  }
  const takeable = (from: string, to: string): boolean => {
    const next = workflow.nodes[from]!.next;
    const otherwise = next.findIndex((b) => !b.when);
    const i = next.findIndex((b) => b.goto === to);
    return workflow.nodes[to]!.needs.includes(from) || i === -1 || otherwise === -1 || i <= otherwise;
  };
  const reached = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      if (reached.has(id)) continue;
      const ups = upstream[id]!;
      if (ups.length === 0 || ups.some((u) => reached.has(u) && takeable(u, id))) {
        reached.add(id);
        changed = true;
      }
    }
  }
  return { order, branchParents, unreachable: ids.filter((id) => !reached.has(id)) };
}

/** n nodes whose edges go from a lower to a higher rank (a DAG), written in a shuffled file order. */
const randomWorkflow = fc
  .integer({ min: 1, max: 25 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      fileOrder: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      needs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
      branches: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.boolean()), { maxLength: 2 * n }),
    }),
  )
  .map(({ fileOrder, needs, branches }) => {
    const nodes: Record<string, NodeInput & { needs: string[]; next: { when?: string; goto: string }[] }> = {};
    for (const i of fileOrder) nodes[`n${i}`] = { needs: [], next: [] };
    for (const [a, b] of needs) if (a < b && !nodes[`n${b}`]!.needs.includes(`n${a}`)) nodes[`n${b}`]!.needs.push(`n${a}`);
    for (const [a, b, when] of branches) if (a < b) nodes[`n${a}`]!.next.push({ goto: `n${b}`, ...(when && { when: 'true' }) });
    return makeWorkflow(nodes);
  });

test('buildPlan gives what the quadratic algorithms gave', () => {
  fc.assert(
    fc.property(randomWorkflow, (workflow) => {
      const plan = buildPlan(workflow);
      const ref = reference(workflow, plan.upstream);
      expect(plan.order).toEqual(ref.order);
      expect(plan.branchParents).toEqual(ref.branchParents);
      expect(plan.warnings.map((w) => w.message)).toEqual(
        ref.unreachable.map((id) => `node "${id}" can never run: no branch that can be taken leads to it`),
      );
      for (const [id, ups] of Object.entries(plan.upstream)) for (const u of ups) expect(plan.downstream[u]).toContain(id);
    }),
    { numRuns: 300 },
  );
});

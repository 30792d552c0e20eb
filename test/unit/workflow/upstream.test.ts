// upstreamIndex against a Set of every upstream node per node (what it replaced), cycles included.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { directUpstream, upstreamIndex, type EdgeSource } from '../../../src/workflow/upstream.js';

function closure(nodes: Record<string, EdgeSource>): Map<string, Set<string>> {
  const direct = directUpstream(nodes);
  return new Map(
    [...direct.keys()].map((id) => {
      const seen = new Set<string>();
      const stack = [...direct.get(id)!];
      while (stack.length) {
        const n = stack.pop()!;
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push(...direct.get(n)!);
      }
      seen.delete(id);
      return [id, seen];
    }),
  );
}

const randomGraph = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc
    .record({
      needs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n + 1)), { maxLength: 3 * n }),
      gotos: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n + 1)), { maxLength: n }),
    })
    .map(({ needs, gotos }) => {
      // Ids past n-1 are unknown nodes (dropped, as the loader reports them); cycles may occur.
      const nodes: Record<string, { needs: string[]; next: { goto: string }[] }> = {};
      for (let i = 0; i < n; i++) nodes[`n${i}`] = { needs: [], next: [] };
      for (const [a, b] of needs) nodes[`n${a}`]!.needs.push(`n${b}`);
      for (const [a, b] of gotos) nodes[`n${a}`]!.next.push({ goto: `n${b}` });
      return nodes;
    }),
);

test('isUpstream answers as the full closure does', () => {
  fc.assert(
    fc.property(randomGraph, (nodes) => {
      const expected = closure(nodes);
      const index = upstreamIndex(nodes);
      const ids = [...Object.keys(nodes), 'unknown'];
      for (const b of ids) {
        for (const a of ids) expect(index.isUpstream(a, b)).toBe(expected.get(b)?.has(a) ?? false);
      }
    }),
    { numRuns: 300 },
  );
});

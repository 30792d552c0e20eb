// Which nodes are upstream of which: through `needs` and through `next` (a goto target waits for
// the node that branches to it). Expressions may read only what is upstream of where they are.

export interface EdgeSource {
  readonly needs: readonly string[];
  readonly next: readonly { readonly goto: string }[];
}

/** id → the ids it directly waits for (needs + branch parents), in file order, unknown ids dropped. */
export function directUpstream(nodes: Readonly<Record<string, EdgeSource>>): Map<string, string[]> {
  const up = new Map<string, string[]>(Object.keys(nodes).map((id) => [id, []]));
  // A Set beside each list: `includes` made a join of 10,000 needs quadratic.
  const seen = new Map<string, Set<string>>(Object.keys(nodes).map((id) => [id, new Set()]));
  const add = (to: string, from: string): void => {
    const list = up.get(to);
    if (list && nodes[from] && !seen.get(to)!.has(from)) {
      list.push(from);
      seen.get(to)!.add(from);
    }
  };
  for (const [id, n] of Object.entries(nodes)) for (const need of n.needs) add(id, need);
  for (const [id, n] of Object.entries(nodes)) for (const b of n.next) add(b.goto, id);
  return up;
}

/** "Is a upstream of b", answered on demand (a node is never upstream of itself, even in a cycle). */
export interface UpstreamIndex {
  isUpstream(a: string, b: string): boolean;
}

/**
 * A Set of all upstream nodes per node is O(n²) memory for a chain (50M entries at 10,000 nodes),
 * while expressions read a few nodes each, mostly direct needs. So: direct edges answer at once;
 * otherwise the nodes downstream of `a` are found once per `a` (a bitset over node indices), and
 * kept for the next expression that reads `a`. Cycles need no special case.
 */
export function upstreamIndex(nodes: Readonly<Record<string, EdgeSource>>): UpstreamIndex {
  const direct = directUpstream(nodes);
  const ids = [...direct.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const directSets = new Map([...direct].map(([id, ups]) => [id, new Set(ups)]));
  let downstream: number[][] | undefined;
  const below = new Map<string, Uint32Array>();

  const downstreamOf = (a: string): Uint32Array => {
    let bits = below.get(a);
    if (bits) return bits;
    if (!downstream) {
      downstream = ids.map(() => []);
      for (const [id, ups] of direct) for (const u of ups) downstream[index.get(u)!].push(index.get(id)!);
    }
    bits = new Uint32Array((ids.length + 31) >>> 5);
    const stack = [...downstream[index.get(a)!]];
    while (stack.length) {
      const i = stack.pop()!;
      if (bits[i >>> 5] & (1 << (i & 31))) continue;
      bits[i >>> 5] |= 1 << (i & 31);
      for (const j of downstream[i]) stack.push(j);
    }
    below.set(a, bits);
    return bits;
  };

  return {
    isUpstream(a, b) {
      if (a === b || !index.has(a) || !index.has(b)) return false;
      if (directSets.get(b)!.has(a)) return true;
      const i = index.get(b)!;
      return (downstreamOf(a)[i >>> 5] & (1 << (i & 31))) !== 0;
    },
  };
}

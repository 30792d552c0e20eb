// Which nodes are upstream of which: through `needs` and through `next` (a goto target waits for
// the node that branches to it). Expressions may read only what is upstream of where they are.

export interface EdgeSource {
  readonly needs: readonly string[];
  readonly next: readonly { readonly goto: string }[];
}

/** id → the ids it directly waits for (needs + branch parents), in file order, unknown ids dropped. */
export function directUpstream(nodes: Readonly<Record<string, EdgeSource>>): Map<string, string[]> {
  const up = new Map<string, string[]>(Object.keys(nodes).map((id) => [id, []]));
  const add = (to: string, from: string): void => {
    const list = up.get(to);
    if (list && nodes[from] && !list.includes(from)) list.push(from);
  };
  for (const [id, n] of Object.entries(nodes)) for (const need of n.needs) add(id, need);
  for (const [id, n] of Object.entries(nodes)) for (const b of n.next) add(b.goto, id);
  return up;
}

/** id → every node it transitively waits for (itself excluded, even in a cycle). */
export function transitiveUpstream(nodes: Readonly<Record<string, EdgeSource>>): Map<string, Set<string>> {
  const direct = directUpstream(nodes);
  const result = new Map<string, Set<string>>();
  for (const id of direct.keys()) {
    const seen = new Set<string>();
    const stack = [...direct.get(id)!];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...direct.get(n)!);
    }
    seen.delete(id);
    result.set(id, seen);
  }
  return result;
}

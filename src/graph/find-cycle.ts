// Cycles in the node graph, each as a readable path `a → b → c → a` in the order nodes would run.
import { alg, type Graph } from '@dagrejs/graphlib';

/**
 * One cycle per strongly connected component, starting at its first node in `order` (file order),
 * following edges upstream → downstream back to that node.
 */
export function findCycles(g: Graph, order: readonly string[]): string[][] {
  const rank = new Map(order.map((id, i) => [id, i]));
  const byRank = (a: string, b: string): number => rank.get(a)! - rank.get(b)!;
  const cycles: string[][] = [];
  for (const scc of alg.findCycles(g)) {
    const members = new Set(scc);
    const start = [...scc].sort(byRank)[0]!;
    // Breadth-first from start inside the component: the shortest way back is the clearest cycle.
    const prev = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    while (queue.length && !closing) {
      const n = queue.shift()!;
      for (const m of (g.successors(n) ?? []).filter((x) => members.has(x)).sort(byRank)) {
        if (m === start) {
          closing = n;
          break;
        }
        if (!prev.has(m)) {
          prev.set(m, n);
          queue.push(m);
        }
      }
    }
    const path = [start];
    for (let n = closing; n && n !== start; n = prev.get(n)) path.splice(1, 0, n);
    cycles.push([...path, start]);
  }
  return cycles.sort((a, b) => byRank(a[0]!, b[0]!));
}

// Workflow → Plan: the DAG of `needs` and `next` edges, in a stable topological order; a cycle is
// a WorkflowError that prints it, an unreachable node a warning.
import { Graph } from '@dagrejs/graphlib';
import type { Diagnostic } from '../errors.js';
import { WorkflowError } from '../errors.js';
import type { Workflow } from '../workflow/types.js';
import { findCycles } from './find-cycle.js';
import type { Plan } from './types.js';

/** What an edge of the graph stands for; `next` edges carry their condition. */
export interface EdgeLabel {
  readonly kind: 'needs' | 'next';
  /** The `when` source, or undefined for an otherwise branch. */
  readonly when?: string;
}

export function workflowGraph(workflow: Workflow): Graph {
  const g = new Graph({ directed: true, multigraph: false });
  for (const id of Object.keys(workflow.nodes)) g.setNode(id);
  for (const n of Object.values(workflow.nodes)) {
    for (const need of n.needs) if (workflow.nodes[need]) g.setEdge(need, n.id, { kind: 'needs' } satisfies EdgeLabel);
    for (const b of n.next) {
      // A branch edge replaces a `needs` edge between the same nodes (the branch decides), but the
      // first branch to a target keeps its label.
      const existing = g.edge(n.id, b.goto) as EdgeLabel | undefined;
      if (workflow.nodes[b.goto] && existing?.kind !== 'next') {
        g.setEdge(n.id, b.goto, { kind: 'next', ...(b.when && { when: b.when.source }) } satisfies EdgeLabel);
      }
    }
  }
  return g;
}

export function buildPlan(workflow: Workflow): Plan {
  const ids = Object.keys(workflow.nodes);
  const g = workflowGraph(workflow);
  const cycles = findCycles(g, ids);
  if (cycles.length) {
    throw new WorkflowError(
      cycles.map((c) => ({
        severity: 'error',
        pos: workflow.nodes[c[0]!]!.pos,
        message: `nodes form a cycle: ${c.join(' → ')}`,
        hint: 'a node cannot wait for itself; remove one of these needs or next entries',
      })),
    );
  }
  const rank = new Map(ids.map((id, i) => [id, i]));
  const inFileOrder = (list: string[]): string[] => list.sort((a, b) => rank.get(a)! - rank.get(b)!);
  const upstream: Record<string, string[]> = {};
  const downstream: Record<string, string[]> = {};
  const branchParents: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
  // One pass over the branches, parents in file order (a filter over all nodes per node was
  // quadratic); a parent with several branches to one target is listed once.
  for (const p of ids) {
    for (const b of workflow.nodes[p]!.next) {
      const list = branchParents[b.goto];
      if (list && list[list.length - 1] !== p) list.push(p);
    }
  }
  for (const id of ids) {
    upstream[id] = inFileOrder(g.predecessors(id) ?? []);
    downstream[id] = inFileOrder(g.successors(id) ?? []);
  }
  return Object.freeze({
    workflow,
    order: topologicalOrder(ids, rank, upstream, downstream),
    upstream,
    downstream,
    branchParents,
    warnings: unreachable(workflow, ids, upstream, downstream),
  });
}

/**
 * Kahn's algorithm, always taking the ready node that comes first in the file: the ready set is a
 * binary heap on file position, so the order is the same as scanning the file for the first ready
 * node, in O(E + n log n) rather than O(n²).
 */
function topologicalOrder(
  ids: readonly string[],
  rank: ReadonlyMap<string, number>,
  upstream: Record<string, string[]>,
  downstream: Record<string, string[]>,
): string[] {
  const waiting = ids.map((id) => upstream[id]!.length);
  const ready = new MinHeap();
  for (const [i, w] of waiting.entries()) if (w === 0) ready.push(i);
  const order: string[] = [];
  while (ready.size > 0) {
    const next = ids[ready.pop()]!;
    order.push(next);
    for (const d of downstream[next]!) {
      const i = rank.get(d)!;
      if (--waiting[i]! === 0) ready.push(i);
    }
  }
  return order;
}

/** A min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(x: number): void {
    const a = this.items;
    let i = a.push(x) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= x) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = x;
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= a.length) break;
        if (child + 1 < a.length && a[child + 1]! < a[child]!) child++;
        if (a[child]! >= last) break;
        a[i] = a[child]!;
        i = child;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * Nodes no run can reach: every way in is a branch listed after an otherwise branch, or comes
 * from a node that is itself unreachable.
 */
function unreachable(
  workflow: Workflow,
  ids: readonly string[],
  upstream: Record<string, string[]>,
  downstream: Record<string, string[]>,
): Diagnostic[] {
  const takeable = (from: string, to: string): boolean => {
    const next = workflow.nodes[from]!.next;
    const i = next.findIndex((b) => b.goto === to);
    if (i === -1) return true;
    const otherwise = next.findIndex((b) => !b.when);
    return otherwise === -1 || i <= otherwise || workflow.nodes[to]!.needs.includes(from);
  };
  // A node is reached once one of its upstream nodes is: a fixpoint, found with a work list
  // (re-scanning every node until nothing changes was quadratic for a chain written bottom-up).
  const reached = new Set<string>();
  const queue = ids.filter((id) => upstream[id]!.length === 0);
  for (const id of queue) reached.add(id);
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head]!;
    for (const to of downstream[from]!) {
      if (!reached.has(to) && takeable(from, to)) {
        reached.add(to);
        queue.push(to);
      }
    }
  }
  return Object.values(workflow.nodes)
    .filter((n) => !reached.has(n.id))
    .map((n) => ({
      severity: 'warning' as const,
      pos: n.pos,
      message: `node "${n.id}" can never run: no branch that can be taken leads to it`,
      hint: 'a branch after an otherwise branch (one without `when`) is never taken',
    }));
}

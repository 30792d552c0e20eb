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
  const inFileOrder = (list: string[]): string[] => [...list].sort((a, b) => rank.get(a)! - rank.get(b)!);
  const upstream: Record<string, string[]> = {};
  const downstream: Record<string, string[]> = {};
  const branchParents: Record<string, string[]> = {};
  for (const id of ids) {
    upstream[id] = inFileOrder(g.predecessors(id) ?? []);
    downstream[id] = inFileOrder(g.successors(id) ?? []);
    branchParents[id] = inFileOrder(ids.filter((p) => workflow.nodes[p]!.next.some((b) => b.goto === id)));
  }
  return Object.freeze({
    workflow,
    order: topologicalOrder(ids, upstream),
    upstream,
    downstream,
    branchParents,
    warnings: unreachable(workflow, upstream),
  });
}

/** Kahn's algorithm, always taking the ready node that comes first in the file. */
function topologicalOrder(ids: readonly string[], upstream: Record<string, string[]>): string[] {
  const waiting = new Map(ids.map((id) => [id, upstream[id]!.length]));
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < ids.length) {
    const next = ids.find((id) => !done.has(id) && waiting.get(id) === 0)!;
    order.push(next);
    done.add(next);
    for (const id of ids) if (upstream[id]!.includes(next)) waiting.set(id, waiting.get(id)! - 1);
  }
  return order;
}

/**
 * Nodes no run can reach: every way in is a branch listed after an otherwise branch, or comes
 * from a node that is itself unreachable.
 */
function unreachable(workflow: Workflow, upstream: Record<string, string[]>): Diagnostic[] {
  const takeable = (from: string, to: string): boolean => {
    const next = workflow.nodes[from]!.next;
    const otherwise = next.findIndex((b) => !b.when);
    const i = next.findIndex((b) => b.goto === to);
    const needs = workflow.nodes[to]!.needs.includes(from);
    return needs || i === -1 || otherwise === -1 || i <= otherwise;
  };
  const reached = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of Object.keys(workflow.nodes)) {
      if (reached.has(id)) continue;
      const ups = upstream[id]!;
      if (ups.length === 0 || ups.some((u) => reached.has(u) && takeable(u, id))) {
        reached.add(id);
        changed = true;
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

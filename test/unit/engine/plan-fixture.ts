// Builds Workflows and Plans by hand for scheduler tests (no YAML, no graph layer).
import type { Plan } from '../../../src/graph/types.js';
import type { Branch, NodeSpec, RetryPolicy, Workflow } from '../../../src/workflow/types.js';

const pos = { file: 'wf.yml', line: 1, col: 1 };

export type NodeInput = Partial<Omit<NodeSpec, 'next' | 'if' | 'retry'>> & {
  next?: { when?: string; goto: string }[];
  if?: string;
  retry?: Partial<RetryPolicy>;
};

export function makeNode(id: string, n: NodeInput = {}): NodeSpec {
  const { next, if: cond, retry, ...rest } = n;
  return {
    id,
    notebook: `/nb/${id}.ipynb`,
    notebookAsWritten: `nb/${id}.ipynb`,
    needs: [],
    params: {},
    outputs: {},
    runIf: 'none_failed_min_one_success',
    env: {},
    continueOnError: false,
    pos,
    ...rest,
    next: (next ?? []).map((b): Branch => ({ goto: b.goto, pos, ...(b.when ? { when: { source: b.when, pos } } : {}) })),
    ...(cond ? { if: { source: cond, pos } } : {}),
    retry: {
      attempts: 1,
      delay: 1000,
      backoff: 2,
      maxDelay: 60_000,
      on: ['kernel_died', 'timeout', 'kernel_start', 'server_lost'],
      ...retry,
    },
  };
}

export function makeWorkflow(nodes: Record<string, NodeInput>, opts: { concurrency?: number; name?: string } = {}): Workflow {
  return {
    name: opts.name ?? 'wf',
    file: '/wf/wf.yml',
    hash: 'h',
    params: {},
    concurrency: opts.concurrency ?? 4,
    nodes: Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, makeNode(id, n)])),
  };
}

/** Upstream = needs ∪ branch parents; order is Kahn's, stable in file order. */
export function makePlan(nodes: Record<string, NodeInput>, opts: { concurrency?: number; name?: string } = {}): Plan {
  return planOf(makeWorkflow(nodes, opts));
}

export function planOf(workflow: Workflow): Plan {
  const ids = Object.keys(workflow.nodes);
  const upstream: Record<string, string[]> = {};
  const downstream: Record<string, string[]> = {};
  const branchParents: Record<string, string[]> = {};
  for (const id of ids) {
    upstream[id] = [];
    downstream[id] = [];
    branchParents[id] = [];
  }
  const link = (from: string, to: string) => {
    if (upstream[to].includes(from)) return;
    upstream[to].push(from);
    downstream[from].push(to);
  };
  for (const n of Object.values(workflow.nodes)) {
    for (const u of n.needs) link(u, n.id);
    for (const b of n.next) {
      link(n.id, b.goto);
      if (!branchParents[b.goto].includes(n.id)) branchParents[b.goto].push(n.id);
    }
  }
  const indegree = new Map(ids.map((id) => [id, upstream[id].length]));
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < ids.length) {
    const id = ids.find((x) => !placed.has(x) && indegree.get(x) === 0);
    if (!id) throw new Error('cycle');
    placed.add(id);
    order.push(id);
    for (const d of downstream[id]) indegree.set(d, indegree.get(d)! - 1);
  }
  return { workflow, order, upstream, downstream, branchParents, warnings: [] };
}

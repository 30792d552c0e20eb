// What each incoming edge of a node counts as, from its upstream's result (DESIGN.md §3).
import type { Plan } from '../graph/types.js';
import type { BranchDecision } from '../events/run-event.js';
import type { NodeResult } from './node-result.js';
import type { Edge } from './trigger-rules.js';

/** Every upstream of `id` must have a result. */
export function incomingEdges(plan: Plan, id: string, results: ReadonlyMap<string, NodeResult>): Edge[] {
  const branchParents = plan.branchParents[id] ?? [];
  return (plan.upstream[id] ?? []).map((from) => {
    const r = results.get(from);
    if (!r) throw new Error(`internal: ${id} decided before its upstream ${from}`);
    if (r.outside) return { from, status: 'succeeded' };
    if (branchParents.includes(from) && r.branch && r.branch.chose !== id) {
      return { from, status: 'skipped', branch: branchNotTaken(from, r.branch) };
    }
    // continue_on_error: downstream proceeds as if it succeeded (GitHub Actions' semantics).
    if (r.status === 'failed' && r.continueOnError) return { from, status: 'succeeded' };
    return { from, status: r.status };
  });
}

function branchNotTaken(by: string, b: BranchDecision): NonNullable<Edge['branch']> {
  return { kind: 'branch_not_taken', by, ...b };
}

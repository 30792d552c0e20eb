// `flow resume`: which nodes to reuse from an earlier run, and which to run again.
import type { RunState } from '../events/run-state.js';
import type { Plan } from '../graph/types.js';
import type { ReusedNode } from './run-options.js';
import { downstreamClosure } from './selection.js';

export interface ResumePlan {
  /** Succeeded nodes with nothing to re-run upstream: pass as RunOptions.reuse. */
  reuse: Record<string, ReusedNode & { status: 'succeeded' }>;
  /** Every other node, in plan order: decided again (a skipped one may well be skipped again). */
  rerun: string[];
}

/**
 * Re-runs failed, cancelled, upstream_failed and never-finished nodes (and nodes new to the
 * workflow) and everything downstream of them; reuses the recorded outputs of the other
 * succeeded nodes. A failure with continue_on_error is a failure: it runs again.
 */
export function planResume(previous: RunState, plan: Plan): ResumePlan {
  const roots = plan.order.filter((id) => {
    const status = previous.nodes[id]?.status;
    return status !== 'succeeded' && status !== 'skipped';
  });
  const dirty = downstreamClosure(plan, roots);
  const reuse: ResumePlan['reuse'] = {};
  for (const id of plan.order) {
    const n = previous.nodes[id];
    if (n?.status === 'succeeded' && !dirty.has(id)) reuse[id] = { status: 'succeeded', outputs: n.outputs ?? {} };
  }
  return { reuse, rerun: plan.order.filter((id) => !reuse[id]) };
}

// `flow resume`: which nodes to reuse from an earlier run, which to run again, and whether
// the workflow changed too much for the earlier outputs to still be trusted.
import { downstreamClosure } from '../engine/selection.js';
import type { ReusedNode } from '../engine/run-options.js';
import type { RunState } from '../engine/run-state.js';
import type { Plan } from '../graph/types.js';
import type { Workflow } from '../workflow/types.js';
import type { RunRecord } from './run-record.js';
import { hashFile, type NodeSnapshot } from './workflow-snapshot.js';

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

/**
 * Why the run cannot be resumed with `workflow` (empty: it can). Only nodes that succeeded
 * matter, since their outputs would be reused: one removed, or whose notebook (path or
 * content), params, declared outputs or matrix changed, refuses the resume (`--force` overrides).
 */
export async function checkResumeCompatible(previous: RunRecord, workflow: Workflow): Promise<string[]> {
  const snap = previous.workflowSnapshot;
  if (!snap) return [`run ${previous.runId} has no workflow snapshot in its run.json: it cannot be checked`];
  const reasons: string[] = [];
  if (snap.name !== workflow.name) reasons.push(`the workflow is now "${workflow.name}", the run was of "${snap.name}"`);
  for (const [id, state] of Object.entries(previous.nodes)) {
    if (state.status !== 'succeeded') continue;
    const before = snap.nodes[id];
    const now = workflow.nodes[id];
    if (!before) continue;
    if (!now) {
      reasons.push(`node "${id}" succeeded in run ${previous.runId} but is no longer in the workflow`);
      continue;
    }
    reasons.push(...(await nodeChanges(before, now)).map((c) => `node "${id}": ${c} since run ${previous.runId}`));
  }
  return reasons;
}

async function nodeChanges(before: NodeSnapshot, now: Workflow['nodes'][string]): Promise<string[]> {
  const changes: string[] = [];
  if (before.notebook !== now.notebook) changes.push(`notebook changed from ${before.notebookAsWritten} to ${now.notebookAsWritten}`);
  else if (before.notebookHash !== undefined && before.notebookHash !== (await hashFile(now.notebook))) {
    changes.push(`notebook ${now.notebookAsWritten} changed`);
  }
  if (!sameJson(before.params, now.params)) changes.push('params changed');
  if (!sameJson(before.outputs, now.outputs)) changes.push('declared outputs changed');
  const matrix = now.matrix ? Object.fromEntries(Object.entries(now.matrix.axes)) : undefined;
  if (!sameJson(before.matrix, matrix)) changes.push('matrix changed');
  return changes;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export interface ResumeParams {
  /** The run's own params, plus the default of any param the workflow declares since. */
  params: Record<string, unknown>;
  /** Params the workflow now requires (no default) that the run was started without. */
  missing: string[];
  /** Params new to the workflow that take their default. */
  defaulted: string[];
}

/**
 * A resumed run gets exactly the params the run was started with (frozen). A param declared
 * since then takes its default; one with no default cannot be resumed at all, and is said so
 * at once rather than when the first node that reads it fails.
 */
export function resumeParams(previous: Pick<RunRecord, 'params'>, workflow: Workflow): ResumeParams {
  const params: Record<string, unknown> = { ...previous.params };
  const missing: string[] = [];
  const defaulted: string[] = [];
  for (const [name, spec] of Object.entries(workflow.params)) {
    if (name in params) continue;
    if (spec.required) missing.push(name);
    else {
      params[name] = spec.default;
      defaulted.push(name);
    }
  }
  return { params, missing, defaulted };
}

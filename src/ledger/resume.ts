// `flow resume`: whether the workflow changed too much for an earlier run's outputs to still be
// trusted, and the params a resumed run gets (which nodes run again: engine/plan-resume.ts).
import { declaredValue } from '../workflow/run-params.js';
import { secretToken } from '../workflow/secrets.js';
import type { Workflow } from '../workflow/types.js';
import type { RunRecord } from './run-record.js';
import { hashFile, type NodeSnapshot } from './workflow-snapshot.js';

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
  const written = (n: { notebookAsWritten?: string }): string => n.notebookAsWritten ?? 'none (a decision node)';
  if (before.notebook !== now.notebook) changes.push(`notebook changed from ${written(before)} to ${written(now)}`);
  else if (now.notebook && before.notebookHash !== undefined && before.notebookHash !== (await hashFile(now.notebook))) {
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
    // A secret is never recorded (run.json has ***): the resumed run reads it again.
    if (spec.secret) {
      params[name] = secretToken(name);
      continue;
    }
    // run.json cannot tell 2.0 from 2: the declared type can (a number param stays a float).
    if (name in params) {
      params[name] = declaredValue(spec, params[name]);
      continue;
    }
    if (spec.required) missing.push(name);
    else {
      params[name] = declaredValue(spec, spec.default);
      defaulted.push(name);
    }
  }
  return { params, missing, defaulted };
}

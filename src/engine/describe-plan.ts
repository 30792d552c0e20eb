// --dry-run: what each node would be given, without running anything.
import type { Plan } from '../graph/types.js';
import type { ExprContext } from '../workflow/types.js';
import { expandMatrix } from './matrix.js';
import { createExprContext, workflowVars } from './expr-context.js';
import type { ExpressionFunctions } from './run-options.js';

export interface PlannedNode {
  node: string;
  /** As written; absent for a decision node. */
  notebook?: string;
  /** Each param rendered when it reads only params and run facts, else its template text. */
  params: Record<string, unknown>;
  /** Names of params still shown as template text (they read upstream outputs). */
  deferred: string[];
  needs: string[];
  next: { when?: string; goto: string }[];
  if?: string;
  runIf: string;
  /** Parameter sets of the matrix instances, in instance order. */
  matrix?: Record<string, unknown>[];
}

/** In plan order. `runId` and `startedAt` stand in for the run that would happen. */
export function describePlanRun(
  plan: Plan,
  params: Record<string, unknown>,
  expressions: ExpressionFunctions,
  run: { runId?: string; startedAt?: Date; logicalDate?: Date } = {},
): PlannedNode[] {
  const ctx = createExprContext(
    { params, runId: run.runId ?? 'dry-run', ...(run.logicalDate && { logicalDate: run.logicalDate }) },
    run.startedAt ?? new Date(),
    workflowVars(plan.workflow.vars, expressions.renderTemplate),
  );
  return plan.order.map((id) => {
    const n = plan.workflow.nodes[id];
    const { rendered, deferred } = renderWhatCan(n.params, ctx, expressions);
    return {
      node: id,
      notebook: n.notebookAsWritten,
      params: rendered,
      deferred,
      needs: [...n.needs],
      next: n.next.map((b) => (b.when ? { when: b.when.source, goto: b.goto } : { goto: b.goto })),
      if: n.if?.source,
      runIf: n.runIf,
      matrix: n.matrix ? expandMatrix(n.matrix) : undefined,
    };
  });
}

/**
 * The whole params object first: the CEL layer knows its declared types by identity (an
 * integer param stays an int). Only when that fails, value by value, keeping what cannot render.
 */
function renderWhatCan(
  params: Readonly<Record<string, unknown>>,
  ctx: ExprContext,
  expressions: ExpressionFunctions,
): { rendered: Record<string, unknown>; deferred: string[] } {
  try {
    return { rendered: expressions.renderTemplate(params, ctx) as Record<string, unknown>, deferred: [] };
  } catch {
    // some value reads upstream outputs: fall through
  }
  const rendered: Record<string, unknown> = {};
  const deferred: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    try {
      rendered[name] = expressions.renderTemplate(value, ctx);
    } catch {
      rendered[name] = value;
      deferred.push(name);
    }
  }
  return { rendered, deferred };
}

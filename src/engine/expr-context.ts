// The context expressions read: params, run facts, and nodes' outputs as they finish.
import type { ExprContext } from '../workflow/types.js';

/**
 * `run.date` is the UTC calendar date the run started (YYYY-MM-DD). `vars` renders the
 * workflow's vars over params and run (see renderVars); without it there are none.
 */
export function createExprContext(
  opts: { params: Record<string, unknown>; runId: string; logicalDate?: Date; trigger?: string; lineageId?: string; resumedFrom?: string },
  startedAt: Date,
  vars?: (ctx: ExprContext) => Record<string, unknown>,
): ExprContext {
  const iso = startedAt.toISOString();
  const ctx: ExprContext = {
    params: opts.params,
    nodes: {},
    run: {
      id: opts.runId,
      date: iso.slice(0, 10),
      started_at: iso,
      logical_date: opts.logicalDate ?? startedAt,
      trigger: opts.trigger ?? (opts.resumedFrom ? 'resume' : 'manual'),
      lineage_id: opts.lineageId ?? opts.runId,
    },
  };
  if (vars) ctx.vars = vars(ctx);
  return ctx;
}

/** The `vars` argument of createExprContext for a workflow, rendered with the run's renderTemplate. */
export function workflowVars(
  vars: Readonly<Record<string, { value: unknown }>> | undefined,
  render: (value: unknown, ctx: ExprContext) => unknown,
): ((ctx: ExprContext) => Record<string, unknown>) | undefined {
  if (!vars || Object.keys(vars).length === 0) return undefined;
  return (ctx) => Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, render(v.value, ctx)]));
}

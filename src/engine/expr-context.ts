// The context expressions read: params, run facts, and nodes' outputs as they finish.
import type { ExprContext } from '../workflow/types.js';

/** `run.date` is the UTC calendar date the run started (YYYY-MM-DD). */
export function createExprContext(opts: { params: Record<string, unknown>; runId: string }, startedAt: Date): ExprContext {
  const iso = startedAt.toISOString();
  return {
    params: opts.params,
    nodes: {},
    run: { id: opts.runId, date: iso.slice(0, 10), started_at: iso },
  };
}

// Evaluates a node's `next` on its outputs: the first branch whose `when` holds wins.
import type { ExprContext, NodeSpec } from '../workflow/types.js';
import type { BranchDecision } from '../events/run-event.js';
import type { ExpressionFunctions } from './run-options.js';

/**
 * `because` is the matching `when`, 'otherwise', or '' when nothing matched; `rejected` lists
 * the `when`s tried first (all false) and `operands` every value they read.
 * Throws what an expression throws; the caller fails the node with it.
 */
export function decideBranch(
  node: NodeSpec,
  outputs: Record<string, unknown>,
  ctx: ExprContext,
  expressions: ExpressionFunctions,
): BranchDecision {
  const own: ExprContext = { ...ctx, outputs };
  const operands: Record<string, unknown> = {};
  const rejected: string[] = [];
  for (const b of node.next) {
    if (!b.when) return { chose: b.goto, because: 'otherwise', operands, rejected };
    const r = expressions.evaluateCondition(b.when, own);
    Object.assign(operands, r.operands);
    if (r.value) return { chose: b.goto, because: b.when.source, operands, rejected };
    rejected.push(b.when.source);
  }
  return { chose: null, because: '', operands, rejected };
}

/** With continue_on_error a failed node has no outputs, so none of its branches is taken. */
export function noBranchAfterFailure(): BranchDecision {
  return { chose: null, because: '', operands: {}, rejected: [] };
}

// Decides a node whose upstream is all terminal: run it, or why not (trigger rule, then `if:`).
import type { Plan } from '../graph/types.js';
import type { ExprContext } from '../workflow/types.js';
import type { NodeError, SkipReason } from '../events/run-event.js';
import { incomingEdges } from './edges.js';
import type { NodeResult } from './node-result.js';
import type { ExpressionFunctions } from './run-options.js';
import { applyTriggerRule } from './trigger-rules.js';

export type Decision =
  | { run: true }
  | { run: false; status: 'skipped' | 'upstream_failed' | 'cancelled'; skip?: SkipReason }
  /** `if:` could not be evaluated: the node fails without running. */
  | { run: false; status: 'failed'; error: NodeError };

export function decideNode(
  plan: Plan,
  id: string,
  results: ReadonlyMap<string, NodeResult>,
  ctx: ExprContext,
  expressions: ExpressionFunctions,
): Decision {
  const node = plan.workflow.nodes[id];
  const outcome = applyTriggerRule(node.runIf, incomingEdges(plan, id, results));
  if (!outcome.run) return outcome;
  if (!node.if) return { run: true };
  try {
    const { value, operands } = expressions.evaluateCondition(node.if, ctx);
    if (value) return { run: true };
    return { run: false, status: 'skipped', skip: { kind: 'condition_false', expression: node.if.source, operands } };
  } catch (err) {
    return { run: false, status: 'failed', error: expressionError(`if: ${node.if.source}`, err) };
  }
}

/** An expression that failed at run time (a missing output, a type error) fails the node. */
export function expressionError(where: string, err: unknown): NodeError {
  return { errorClass: 'error', message: `${where}: ${err instanceof Error ? err.message : String(err)}` };
}

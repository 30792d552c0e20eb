// Runs a node that was decided to run: render its params, execute (fanned out for a matrix),
// then decide its branch from its outputs. A decision node executes nothing: only its branch.
import { isDecisionNode } from '../workflow/decision-nodes.js';
import type { NodeSpec } from '../workflow/types.js';
import { decideBranch, noBranchAfterFailure } from './branch.js';
import { expressionError } from './decide-node.js';
import { collectMatrixOutputs, expandMatrix } from './matrix.js';
import type { NodeResult } from './node-result.js';
import { runAttempts, type AttemptsOutcome } from './run-attempts.js';
import type { RunContext } from './run-context.js';
import { Semaphore } from './semaphore.js';

export async function runNode(rc: RunContext, node: NodeSpec): Promise<NodeResult> {
  rc.emit({ type: 'node_queued', node: node.id });
  // A matrix node's params are rendered once per instance, with its values as `matrix.*`.
  const render = (matrix?: Record<string, unknown>) =>
    rc.opts.expressions.renderTemplate(node.params, matrix ? { ...rc.ctx, matrix } : rc.ctx) as Record<string, unknown>;
  let params: Record<string, unknown>[];
  try {
    params = node.matrix ? expandMatrix(node.matrix).map((combo) => ({ ...render(combo), ...combo })) : [render()];
  } catch (err) {
    return withBranch(rc, node, { status: 'failed', error: expressionError('params', err), attempts: 0 });
  }
  const outcome = isDecisionNode(node)
    ? startDecision(rc, node, params[0]!)
    : node.matrix
      ? await runMatrix(rc, node, params)
      : await runAttempts(rc, node, params[0]!);
  return withBranch(rc, node, outcome);
}

/**
 * A decision node starts and ends like a one-attempt node (node_started, then node_finished with
 * `attempts: 1`, the one evaluation of its `next`), but takes no run slot and calls no executor:
 * withBranch decides its branch from upstream outputs, or fails it when a `when` cannot be evaluated.
 */
function startDecision(rc: RunContext, node: NodeSpec, params: Record<string, unknown>): AttemptsOutcome {
  rc.emit({ type: 'node_started', node: node.id, attempt: 1, maxAttempts: 1, params });
  return { status: 'succeeded', attempts: 1, startedAt: rc.clock.now() };
}

function withBranch(rc: RunContext, node: NodeSpec, outcome: AttemptsOutcome): NodeResult {
  const result: NodeResult = { ...outcome };
  if (outcome.status === 'failed' && node.continueOnError) {
    result.continueOnError = true;
    if (node.next.length > 0) result.branch = noBranchAfterFailure();
  }
  if (outcome.status !== 'succeeded' || node.next.length === 0) return result;
  try {
    result.branch = decideBranch(node, outcome.outputs ?? {}, rc.ctx, rc.opts.expressions);
  } catch (err) {
    // The notebook ran (or, in a decision node, nothing did) but the branch cannot be decided:
    // nothing downstream can be chosen.
    return withBranch(rc, node, { ...outcome, status: 'failed', error: expressionError('next', err) });
  }
  rc.emit({ type: 'branch_decided', node: node.id, ...result.branch });
  return result;
}

/** Each instance (its params given) is an attempt stream of its own; the node fails if any instance fails. */
async function runMatrix(rc: RunContext, node: NodeSpec, instances: Record<string, unknown>[]): Promise<AttemptsOutcome> {
  const nodeSlots = new Semaphore(node.matrix!.maxParallel ?? rc.slots.size);
  const outcomes = await Promise.all(
    instances.map(async (params, i) => {
      const o = await runAttempts(rc, node, params, i, nodeSlots);
      rc.emit({
        type: 'node_finished',
        node: node.id,
        instance: i,
        status: o.status,
        attempts: o.attempts,
        // From the instance's first attempt: waiting for max_parallel or a run slot is not running.
        durationMs: o.startedAt === undefined ? 0 : rc.clock.now() - o.startedAt,
        outputs: o.outputs,
        error: o.error,
        notebookPath: o.notebookPath,
      });
      return o;
    }),
  );
  const attempts = Math.max(0, ...outcomes.map((o) => o.attempts));
  const starts = outcomes.flatMap((o) => (o.startedAt === undefined ? [] : [o.startedAt]));
  const startedAt = starts.length > 0 ? Math.min(...starts) : undefined;
  const failed = outcomes.find((o) => o.status === 'failed');
  if (failed) return { status: 'failed', error: failed.error, attempts, startedAt };
  const cancelled = outcomes.find((o) => o.status === 'cancelled');
  if (cancelled) return { status: 'cancelled', error: cancelled.error, attempts, startedAt };
  const outputs = collectMatrixOutputs(
    Object.keys(node.outputs),
    outcomes.map((o) => o.outputs),
  );
  return { status: 'succeeded', outputs, attempts, startedAt };
}

// Airflow's trigger rules (DESIGN.md §3): given the status each incoming edge counts as, run or not.
import type { RunIf } from '../workflow/types.js';
import type { NodeStatus, SkipReason } from '../events/run-event.js';

/** What an incoming edge counts as once its upstream is terminal. */
export type EdgeStatus = Extract<NodeStatus, 'succeeded' | 'failed' | 'skipped' | 'upstream_failed' | 'cancelled'>;

export interface Edge {
  from: string;
  status: EdgeStatus;
  /** Set when the edge is skipped because `from`'s `next` chose another node. */
  branch?: Extract<SkipReason, { kind: 'branch_not_taken' }>;
}

export type TriggerOutcome = { run: true } | { run: false; status: 'skipped' | 'upstream_failed' | 'cancelled'; skip?: SkipReason };

/**
 * Decides by `rule` over the incoming edges. A node without edges always runs (as in Airflow);
 * a cancelled edge cancels the node whatever the rule (cancellation only comes from the run
 * being interrupted). `upstream_failed` edges count as failed.
 */
export function applyTriggerRule(rule: RunIf, edges: readonly Edge[]): TriggerOutcome {
  if (edges.length === 0) return { run: true };
  if (edges.some((e) => e.status === 'cancelled')) return { run: false, status: 'cancelled' };
  const failed = edges.filter((e) => e.status === 'failed' || e.status === 'upstream_failed');
  const succeeded = edges.filter((e) => e.status === 'succeeded');
  const skipped = edges.filter((e) => e.status === 'skipped');
  const upstreamFailed: TriggerOutcome = {
    run: false,
    status: 'upstream_failed',
    skip: { kind: 'upstream_failed', upstream: failed.map((e) => e.from) },
  };
  const notTriggered: TriggerOutcome = {
    run: false,
    status: 'skipped',
    skip: { kind: 'trigger_rule', rule, upstream: Object.fromEntries(edges.map((e) => [e.from, e.status])) },
  };
  const upstreamSkipped: TriggerOutcome = { run: false, status: 'skipped', skip: skipReasonOf(skipped) };

  switch (rule) {
    case 'none_failed_min_one_success':
      if (failed.length > 0) return upstreamFailed;
      return succeeded.length > 0 ? { run: true } : upstreamSkipped;
    case 'all_success':
      if (failed.length > 0) return upstreamFailed;
      return skipped.length > 0 ? upstreamSkipped : { run: true };
    case 'all_done':
      return { run: true };
    case 'one_success':
      if (succeeded.length > 0) return { run: true };
      return failed.length > 0 ? upstreamFailed : upstreamSkipped;
    case 'one_failed':
      return failed.length > 0 ? { run: true } : notTriggered;
    case 'all_failed':
      return failed.length === edges.length ? { run: true } : notTriggered;
    case 'none_failed':
      return failed.length > 0 ? upstreamFailed : { run: true };
  }
}

/** A branch not taken is the most direct cause, so it wins over skipped upstream nodes. */
function skipReasonOf(skipped: readonly Edge[]): SkipReason {
  const branch = skipped.find((e) => e.branch)?.branch;
  return branch ?? { kind: 'upstream_skipped', upstream: skipped.map((e) => e.from) };
}

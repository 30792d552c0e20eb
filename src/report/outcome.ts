// How a finished node ended, in one phrase: the same words in the plain log, the live view and JUnit.
import type { NodeState } from '../events/run-state.js';
import { describeError, describeSkip, formatElapsed } from './format.js';
import { formatCounts } from './status-style.js';

function after(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** `(instances: 1 succeeded, 1 failed)` for a fanned-out node; '' otherwise. */
export function instanceTally(n: NodeState): string {
  if (!n.instances) return '';
  const counts: Record<string, number> = {};
  for (const i of n.instances) if (i) counts[i.status] = (counts[i.status] ?? 0) + 1;
  return ` (instances: ${formatCounts(counts)})`;
}

/**
 * `succeeded in 2.1s`, `failed in 1.0s: cell 4 (In [4]): ValueError: bad row`,
 * `skipped: branch not taken — …`, `not run: upstream failed: validate`, `cancelled after 3.0s`.
 * For a node that is not finished, its status label.
 */
export function describeOutcome(n: NodeState): string {
  const took = `in ${formatElapsed(n.durationMs ?? 0)}${after(n.attempts.length)}`;
  switch (n.status) {
    case 'succeeded':
      return n.reused ? 'succeeded (reused from an earlier run)' : `succeeded ${took}${instanceTally(n)}`;
    case 'failed': {
      const error = n.error ? `: ${describeError(n.error)}` : '';
      const coe = n.continueOnError ? ' (continue_on_error: the run goes on)' : '';
      return `failed ${took}${instanceTally(n)}${error}${coe}`;
    }
    case 'skipped':
      return n.skip ? `skipped: ${describeSkip(n.skip)}` : 'skipped';
    case 'upstream_failed':
      return `not run: ${n.skip ? describeSkip(n.skip) : 'upstream failed'}`;
    case 'cancelled':
      return n.attempts.length > 0 ? `cancelled after ${formatElapsed(n.durationMs ?? 0)}` : 'cancelled';
    default:
      return n.status;
  }
}

// When to retry a failed attempt, and how long to wait first (DESIGN.md §3).
import type { ErrorClass, RetryPolicy } from '../workflow/types.js';

/** Backoff before attempt n+1: min(delay × backoff^(n-1), maxDelay); `attempt` is n, 1-based. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.delay * policy.backoff ** (attempt - 1), policy.maxDelay);
}

/**
 * The wait before the next attempt, or undefined when attempt `attempt` (1-based) failing with
 * `errorClass` is final: no attempts left, or the policy does not retry that class.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, errorClass: ErrorClass): number | undefined {
  if (attempt >= policy.attempts) return undefined;
  if (!policy.on.includes(errorClass)) return undefined;
  return backoffDelay(policy, attempt);
}

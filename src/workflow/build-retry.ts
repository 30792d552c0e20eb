// Retry policies: node fields over `defaults.retry` over flow's defaults, and their limits checked.
import type { Diagnostic } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';
import type { RawRetry } from './schema.js';
import type { SourceMap, YamlPath } from './source-map.js';
import type { RetryPolicy } from './types.js';

/** When a workflow says nothing: one attempt; were it retried, 1s doubling up to 1m. */
export const defaultRetry: RetryPolicy = Object.freeze({
  attempts: 1,
  delay: 1000,
  backoff: 2,
  maxDelay: 60_000,
  on: Object.freeze(['kernel_died', 'timeout', 'kernel_start', 'server_lost'] as const),
});

/**
 * Merges `own` (a node's retry, or the defaults block's when `own` is undefined) over `inherited`
 * and flow's defaults. `at` is the YAML path of the block that holds `own`.
 */
export function buildRetry(
  own: RawRetry | undefined,
  inherited: RawRetry | undefined,
  at: YamlPath,
  src: SourceMap,
  diags: Diagnostic[],
): RetryPolicy {
  const mine = own ?? inherited;
  const merged = { ...inherited, ...own };
  const policy: RetryPolicy = {
    attempts: merged.attempts ?? defaultRetry.attempts,
    delay: parseDuration(merged.delay) ?? defaultRetry.delay,
    backoff: merged.backoff ?? defaultRetry.backoff,
    maxDelay: parseDuration(merged.max_delay) ?? defaultRetry.maxDelay,
    on: merged.on ? [...new Set(merged.on)] : defaultRetry.on,
  };
  // Report a conflict once, where it is written: at the block that sets delay or max_delay.
  if (policy.maxDelay < policy.delay && (mine?.delay !== undefined || mine?.max_delay !== undefined)) {
    const path = [...at, 'retry', mine.max_delay !== undefined ? 'max_delay' : 'delay'];
    diags.push({
      severity: 'error',
      pos: src.valuePos(path),
      message: `retry.max_delay (${formatDuration(policy.maxDelay)}) cannot be less than retry.delay (${formatDuration(policy.delay)})`,
      hint: 'raise max_delay or lower delay',
    });
  }
  return policy;
}

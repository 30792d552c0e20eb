import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay } from '../../../src/engine/retry-policy.js';
import type { RetryPolicy } from '../../../src/workflow/types.js';

const policy: RetryPolicy = { attempts: 6, delay: 2000, backoff: 2, maxDelay: 10_000, on: ['kernel_died', 'timeout'] };

describe('retry policy', () => {
  it('waits min(delay × backoff^(n-1), max_delay) before attempt n+1', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([2000, 4000, 8000, 10_000, 10_000]);
  });

  it('keeps a constant delay with backoff 1', () => {
    expect([1, 2, 3].map((n) => backoffDelay({ ...policy, backoff: 1 }, n))).toEqual([2000, 2000, 2000]);
  });

  it('retries only the listed error classes', () => {
    expect(retryDelay(policy, 1, 'timeout')).toBe(2000);
    expect(retryDelay(policy, 1, 'kernel_died')).toBe(2000);
    expect(retryDelay(policy, 1, 'error')).toBeUndefined();
    expect(retryDelay(policy, 1, 'kernel_start')).toBeUndefined();
  });

  it('counts the first attempt in `attempts`', () => {
    expect(retryDelay(policy, 5, 'timeout')).toBe(10_000);
    expect(retryDelay(policy, 6, 'timeout')).toBeUndefined();
    expect(retryDelay({ ...policy, attempts: 1 }, 1, 'timeout')).toBeUndefined();
  });
});

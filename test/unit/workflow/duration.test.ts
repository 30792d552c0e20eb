import { expect, test } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/workflow/duration.js';

test.each([
  ['500ms', 500],
  ['90s', 90_000],
  ['10m', 600_000],
  ['1h', 3_600_000],
  ['1h30m', 5_400_000],
  ['1.5s', 1500],
  [30, 30_000],
  ['10 minutes', undefined],
  ['10', undefined],
  ['-1s', undefined],
  [-1, undefined],
  [true, undefined],
] as const)('parseDuration(%j) = %j', (v, ms) => {
  expect(parseDuration(v)).toBe(ms);
});

test.each([
  [90_000, '90s'],
  [600_000, '10m'],
  [3_600_000, '1h'],
  [5_400_000, '90m'],
  [1500, '1.5s'],
  [1234, '1.234s'],
  [50, '50ms'],
  [0, '0ms'],
] as const)('formatDuration(%j) = %s', (ms, s) => {
  expect(formatDuration(ms)).toBe(s);
});

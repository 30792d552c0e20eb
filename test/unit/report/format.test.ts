// The shared words: durations, values, skip reasons, branch decisions, errors.
import { describe, expect, it } from 'vitest';
import type { SkipReason } from '../../../src/events/run-event.js';
import {
  describeBranch,
  describeError,
  describeSkip,
  formatClock,
  formatCountdown,
  formatElapsed,
  formatValue,
  truncate,
} from '../../../src/report/format.js';
import { formatCounts } from '../../../src/report/status-style.js';

describe('formatElapsed', () => {
  it.each([
    [0, '0ms'],
    [340.4, '340ms'],
    [999, '999ms'],
    [1000, '1.0s'],
    [2149, '2.1s'],
    [59_940, '59.9s'],
    [59_960, '1m 00s'],
    [65_000, '1m 05s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m'],
    [7_380_000, '2h 03m'],
    [-5, '-'],
    [Number.NaN, '-'],
  ])('%s ms → %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));

  it('counts down in whole seconds, rounding up', () => {
    expect([4000, 3001, 1, 0, -20].map(formatCountdown)).toEqual(['4s', '4s', '1s', '0s', '0s']);
  });
});

describe('formatClock', () => {
  it('shows HH:MM:SS in UTC or local time', () => {
    expect(formatClock('2026-11-26T09:30:01.999Z', true)).toBe('09:30:01');
    const local = new Date('2026-11-26T09:30:01Z');
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatClock(local.toISOString())).toBe(`${pad(local.getHours())}:${pad(local.getMinutes())}:01`);
    expect(formatClock('not a date')).toBe('--:--:--');
  });
});

describe('formatValue', () => {
  it('quotes strings, prints BigInt and non-finite numbers, cuts long values', () => {
    expect(formatValue('P2')).toBe('"P2"');
    expect(formatValue(12n)).toBe('12');
    expect(formatValue({ n: 2n ** 70n })).toBe('{"n":"1180591620717411303424"}');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(undefined)).toBe('null');
    expect(formatValue([1, 2, 3], 5)).toBe('[1,2…');
    expect(truncate('abc', 0)).toBe('');
  });
});

describe('describeSkip', () => {
  const cases: [SkipReason, string][] = [
    [
      { kind: 'condition_false', expression: 'params.period == "P3"', operands: { 'params.period': 'P2' } },
      'condition params.period == "P3" was false (params.period="P2")',
    ],
    [{ kind: 'condition_false', expression: 'false', operands: {} }, 'condition false was false'],
    [
      {
        kind: 'branch_not_taken',
        by: 'validate',
        chose: 'build_xml',
        because: 'otherwise',
        operands: { 'outputs.errors': 0n },
        rejected: ['outputs.errors > 0'],
      },
      'branch not taken — validate chose build_xml because outputs.errors > 0 was false (outputs.errors=0)',
    ],
    [
      { kind: 'branch_not_taken', by: 'validate', chose: 'build_xml', because: 'otherwise', operands: { 'outputs.errors': 0 } },
      'branch not taken — validate chose build_xml as no condition held (outputs.errors=0)',
    ],
    [
      { kind: 'branch_not_taken', by: 'validate', chose: 'error_report', because: 'outputs.errors > 0', operands: { 'outputs.errors': 3 } },
      'branch not taken — validate chose error_report because outputs.errors > 0 was true (outputs.errors=3)',
    ],
    [
      {
        kind: 'branch_not_taken',
        by: 'route',
        chose: 'c',
        because: 'outputs.n > 10',
        operands: { 'outputs.n': 11, 'outputs.kind': 'x' },
        rejected: ['outputs.kind == "a"', 'outputs.kind == "b"'],
      },
      'branch not taken — route chose c because outputs.kind == "a" was false and outputs.kind == "b" was false ' +
        'and outputs.n > 10 was true (outputs.n=11, outputs.kind="x")',
    ],
    [
      {
        kind: 'branch_not_taken',
        by: 'validate',
        chose: null,
        because: 'otherwise',
        operands: { 'outputs.errors': 0 },
        rejected: ['outputs.errors > 0'],
      },
      'branch not taken — validate took no branch because outputs.errors > 0 was false (outputs.errors=0)',
    ],
    [{ kind: 'upstream_skipped', upstream: ['error_report', 'build_xml'] }, 'every upstream node was skipped (error_report, build_xml)'],
    [{ kind: 'upstream_failed', upstream: ['extract'] }, 'upstream failed: extract'],
    [
      { kind: 'trigger_rule', rule: 'one_failed', upstream: { extract: 'succeeded', validate: 'succeeded' } },
      'run_if one_failed not met (extract=succeeded, validate=succeeded)',
    ],
  ];
  it.each(cases.map(([skip, text]) => [text, skip] as const))('%s', (text, skip) => expect(describeSkip(skip)).toBe(text));

  it('describes a decision the same way outside a skip', () => {
    expect(describeBranch({ by: 'v', chose: 'x', because: 'outputs.ok', operands: {} })).toBe('v chose x because outputs.ok was true');
  });
});

describe('describeError', () => {
  it('names the cell 1-based with its execution count, then ename and evalue', () => {
    expect(describeError({ errorClass: 'error', message: 'm', cell: 3, executionCount: 4, ename: 'ValueError', evalue: 'bad row' })).toBe(
      'cell 4 (In [4]): ValueError: bad row',
    );
    expect(describeError({ errorClass: 'error', message: 'm', ename: 'KeyboardInterrupt', evalue: '' })).toBe('KeyboardInterrupt');
    expect(describeError({ errorClass: 'timeout', message: 'cell 2 ran longer than 10m', cell: 1, executionCount: null })).toBe(
      'cell 2: timeout: cell 2 ran longer than 10m',
    );
    expect(describeError({ errorClass: 'kernel_start', message: 'no kernel named "julia"' })).toBe('kernel_start: no kernel named "julia"');
  });
});

describe('formatCounts', () => {
  it('lists non-zero counts in a fixed order', () => {
    expect(formatCounts({ pending: 2, skipped: 1, succeeded: 3, failed: 0, upstream_failed: 1 })).toBe(
      '3 succeeded, 1 upstream failed, 1 skipped, 2 pending',
    );
  });
});

// "Did you mean" hints: adjacent swaps count as one edit, so short names get a hint too.
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../../src/workflow/did-you-mean.js';

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['dir', 'dir', 0],
    ['dri', 'dir', 1],
    ['ab', 'ba', 1],
    ['validat', 'validate', 1],
    ['kitten', 'sitting', 3],
    ['abcd', 'badc', 2],
    // OSA edits no substring twice: "ca" → "abc" is 3, not 2 as unrestricted Damerau would give.
    ['ca', 'abc', 3],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest and didYouMean', () => {
  it('hints a short name typed with two letters swapped', () => {
    expect(didYouMean('dri', ['dir', 'year'])).toBe('did you mean "dir"?');
    expect(didYouMean('yaer', ['dir', 'year'])).toBe('did you mean "year"?');
  });

  it('keeps the earlier behaviour for other typos', () => {
    expect(closest('validat', ['extract', 'validate'])).toBe('validate');
    expect(closest('VALIDATE', ['validate'])).toBe('validate');
    expect(closest('c', ['a', 'b'])).toBeUndefined();
    expect(closest('xyz', ['dir'])).toBeUndefined();
    expect(didYouMean('report', [])).toBeUndefined();
  });
});

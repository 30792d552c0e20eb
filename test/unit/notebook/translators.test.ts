import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { findTranslator, translateParameters } from '../../../src/notebook/translators/index.js';

const value = (language: string, v: unknown) => findTranslator(language).translate(v, 'p');

describe('translateParameters: papermill layout', () => {
  test.each([
    ['python', '# Parameters\na = 1\nb = "x"\n'],
    ['R', '# Parameters\na = 1\nb = "x"\n'],
    ['julia', '# Parameters\na = 1\nb = "x"\n'],
    ['bash', '# Parameters\na=1\nb=x\n'],
  ])('%s', (language, source) => {
    expect(translateParameters(language, { a: 1, b: 'x' })).toBe(source);
  });

  test('no parameters: the comment alone', () => {
    expect(translateParameters('python', {})).toBe('# Parameters\n');
  });

  test('the kernel name wins over the language, as in papermill', () => {
    expect(translateParameters('scala', { a: true }, { kernelName: 'pysparkkernel' })).toBe('# Parameters\na = True\n');
  });

  test('an unknown language is a usage error naming the languages flow knows', () => {
    expect(() => translateParameters('cobol', { a: 1 }, { kernelName: 'cobol-kernel' })).toThrow(
      new UsageError(
        'no parameter translator for kernel "cobol-kernel" or language "cobol"',
        'flow can pass parameters to Python, R, Julia, bash notebooks',
      ),
    );
  });
});

describe('Python', () => {
  test.each<[unknown, string]>([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [0, '0'],
    [-12, '-12'],
    [2 ** 53 - 1, '9007199254740991'],
    [2 ** 60, '1152921504606847000.0'],
    [123456789012345678901234567890n, '123456789012345678901234567890'],
    [1.5, '1.5'],
    [1e-7, '1e-7'],
    [1e300, '1e+300'],
    [-0, '-0.0'],
    [NaN, "float('nan')"],
    [Infinity, "float('inf')"],
    [-Infinity, "float('-inf')"],
    ['', '""'],
    ['plain text', '"plain text"'],
    ['quote " and \\ backslash', '"quote \\" and \\\\ backslash"'],
    ["it's", '"it\'s"'],
    ['line1\nline2\r\ttab', '"line1\\nline2\\r\\ttab"'],
    ['\0\x07\x1b\x7f', '"\\x00\\x07\\x1b\\x7f"'],
    ['café 😀 日本', '"café 😀 日本"'],
    ['\u00a0\u2028\u2029\u200b\ufeff', '"\\xa0\\u2028\\u2029\\u200b\\ufeff"'],
    ['\u{f0000}', '"\\U000f0000"'],
    ['lone \ud800 surrogate', '"lone \\ud800 surrogate"'],
    ['{x} %s $y', '"{x} %s $y"'],
    [[], '[]'],
    [[1, 'a', [null]], '[1, "a", [None]]'],
    [{}, '{}'],
    [{ a: 1, 'b c': { d: [true] } }, '{"a": 1, "b c": {"d": [True]}}'],
    [new Date('2026-01-02T03:04:05Z'), '"2026-01-02T03:04:05.000Z"'],
  ])('%s → %s', (v, code) => {
    expect(value('python', v)).toBe(code);
  });

  test('unsupported values name the parameter', () => {
    expect(() => findTranslator('python').translate({ a: [undefined] }, 'opts')).toThrow(
      'parameter opts.a[0]: a undefined value cannot be passed to a Python notebook',
    );
    expect(() => value('python', new Map())).toThrow('parameter p: a Map value cannot be passed to a Python notebook');
  });
});

describe('R', () => {
  test.each<[unknown, string]>([
    [null, 'NULL'],
    [true, 'TRUE'],
    [false, 'FALSE'],
    [3, '3'],
    [2.5, '2.5'],
    [-0, '-0.0'],
    [NaN, 'NaN'],
    [Infinity, 'Inf'],
    [-Infinity, '-Inf'],
    ['a "q" \\ é\n\x01😀\u2028', '"a \\"q\\" \\\\ é\\n\\u{0001}😀\\u{2028}"'],
    [[1, 'x'], 'list(1, "x")'],
    [{ a: 1, 'b c': [true] }, 'list("a" = 1, "b c" = list(TRUE))'],
  ])('%s → %s', (v, code) => {
    expect(value('r', v)).toBe(code);
  });
  test('leading underscores are dropped from names, as papermill does', () => {
    expect(translateParameters('R', { __x: 1 })).toBe('# Parameters\nx = 1\n');
  });
  test.each([
    ['a\0b', 'parameter p: a string containing NUL (\\0) cannot be passed to a R notebook'],
    ['\udc00', 'parameter p: a string containing a lone surrogate cannot be passed to a R notebook'],
  ])('refuses %s', (v, message) => {
    expect(() => value('r', v)).toThrow(message);
  });
});

describe('Julia', () => {
  test.each<[unknown, string]>([
    [null, 'nothing'],
    [true, 'true'],
    [7, '7'],
    [0.1, '0.1'],
    [NaN, 'NaN'],
    [-Infinity, '-Inf'],
    [2 ** 60, '1152921504606847000.0'],
    ['cost $5 "x" \\ \n\x00', '"cost \\$5 \\"x\\" \\\\ \\n\\u0000"'],
    [[1, [2]], '[1, [2]]'],
    [{ a: 'b' }, 'Dict("a" => "b")'],
  ])('%s → %s', (v, code) => {
    expect(value('julia', v)).toBe(code);
  });
});

describe('bash', () => {
  test.each<[unknown, string]>([
    [null, ''],
    [true, 'true'],
    [42, '42'],
    [1.5, '1.5'],
    ['', "''"],
    ['simple/path-1.csv', 'simple/path-1.csv'],
    ["it's a test", `'it'"'"'s a test'`],
    ['$HOME `x`', "'$HOME `x`'"],
    [['a b', 1, null], "('a b' 1 '')"],
  ])('%s → %s', (v, code) => {
    expect(value('bash', v)).toBe(code);
  });
  test('a dict cannot be passed to bash', () => {
    expect(() => value('bash', { a: 1 })).toThrow('parameter p: a dict cannot be passed to a bash notebook');
  });
});

// Fuzzes the Python translator against the real Python: every value must come back exactly,
// through IPython's input transformations as a kernel would apply them. One subprocess per run.
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { translateParameters } from '../../../src/notebook/translators/index.js';
import { runPython } from '../../helpers/python.js';

type Tagged = unknown[];

const special = fc.constantFrom(
  '\\',
  '"',
  "'",
  '\n',
  '\r',
  '\t',
  '\0',
  '\x0b',
  '\x0c',
  '\x1c',
  '\x85',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u200b',
  '{',
  '}',
  '%',
  '!',
  '?',
  '$',
  '#',
  'é',
  '😀',
  '\udbff',
  '\udc00',
  '\ud800',
);
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: special }),
  fc.string({ unit: fc.oneof(special, fc.constantFrom('a', ' ', '\\n', '\\x', 'N{')) }),
);
const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 2 ** 60, 5e-324, 1e300, 0.1),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
}));

/** What the Python side reports for a value, computed from the JS value. */
function expected(v: unknown): Tagged {
  if (v === null) return ['n'];
  if (typeof v === 'boolean') return ['b', v];
  if (typeof v === 'bigint') return ['i', v.toString()];
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? ['i', String(v)] : ['f', v];
  if (typeof v === 'string') return ['s', [...v].map((c) => c.codePointAt(0))];
  if (Array.isArray(v)) return ['l', v.map(expected)];
  return ['d', Object.entries(v as object).map(([k, x]) => [expected(k), expected(x)])];
}

/** Python's floats come as repr() text; make them numbers (NaN, -0 included) to compare. */
function fromPython(t: Tagged): Tagged {
  if (t[0] === 'f') {
    const r = t[1] as string;
    return ['f', r === 'nan' ? NaN : r === 'inf' ? Infinity : r === '-inf' ? -Infinity : Number(r)];
  }
  if (t[0] === 'l') return ['l', (t[1] as Tagged[]).map(fromPython)];
  if (t[0] === 'd') return ['d', (t[1] as Tagged[][]).map(([k, x]) => [fromPython(k!), fromPython(x!)])];
  return t;
}

const EVALUATE = `
import json, sys
from IPython.core.inputtransformer2 import TransformerManager
tm = TransformerManager()
def tag(v):
    if v is None: return ['n']
    if isinstance(v, bool): return ['b', v]
    if isinstance(v, int): return ['i', str(v)]
    if isinstance(v, float): return ['f', repr(v)]
    if isinstance(v, str): return ['s', [ord(c) for c in v]]
    if isinstance(v, list): return ['l', [tag(x) for x in v]]
    if isinstance(v, dict): return ['d', [[tag(k), tag(x)] for k, x in v.items()]]
    return ['?', repr(type(v))]
out = []
for src, n in json.load(sys.stdin):
    ns = {}
    try:
        exec(tm.transform_cell(src), ns)
        out.append([tag(ns['p%d' % i]) for i in range(n)])
    except Exception as e:
        out.append([['!', repr(e)]])
print(json.dumps(out))
`;

test('Python literals evaluate back to exactly the values (fast-check, real Python)', () => {
  const seed = Date.now() ^ (Math.random() * 0x7fffffff);
  const samples = fc.sample(fc.array(value, { minLength: 1, maxLength: 3 }), { numRuns: 400, seed });
  const sources = samples.map((vals) => {
    const params = Object.fromEntries(vals.map((v, i) => [`p${i}`, v]));
    return [translateParameters('python', params), vals.length] as const;
  });
  // JSON cannot carry lone surrogates to Python as text: it escapes them (\udXXX), which json.load restores.
  const results = JSON.parse(runPython(EVALUATE, JSON.stringify(sources))) as Tagged[][];
  samples.forEach((vals, i) => {
    expect(results[i]!.map(fromPython), `seed ${seed}, source:\n${sources[i]![0]}`).toEqual(vals.map(expected));
  });
});

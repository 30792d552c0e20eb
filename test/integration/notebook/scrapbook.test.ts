import { describe, expect, test } from 'vitest';
import { checkOutputType, collectScraps } from '../../../src/notebook/scrapbook.js';
import { outputsProbeCode, parseOutputsProbe, PROBE_MARKER } from '../../../src/notebook/outputs-probe.js';
import type { Notebook, Output } from '../../../src/notebook/types.js';
import type { OutputType } from '../../../src/workflow/types.js';
import { runPython } from '../../helpers/python.js';

const scrap = (name: string, data: unknown, encoder = 'json'): Output => ({
  output_type: 'display_data',
  data: { [`application/scrapbook.scrap.${encoder}+json`]: { name, data, encoder, version: 1 } },
  metadata: { scrapbook: { name, data: true, display: false } },
});
const book = (...outputs: Output[][]): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: outputs.map((o, i) => ({ cell_type: 'code', id: `c${i}`, source: '', metadata: {}, outputs: o, execution_count: i })),
});

describe('collectScraps', () => {
  test('reads json and text scraps; the last of a name wins, across cells', () => {
    const nb = book(
      [scrap('rows', 12), scrap('path', '/tmp/x'), { output_type: 'stream', name: 'stdout', text: 'hi' }],
      [scrap('rows', 42), scrap('note', 'hello', 'text'), scrap('obj', { a: [1, null] })],
    );
    expect(collectScraps(nb)).toEqual({ rows: 42, path: '/tmp/x', note: 'hello', obj: { a: [1, null] } });
  });

  test('as scrapbook: a json scrap holding a JSON string is parsed; other encoders are left out', () => {
    const nb = book([scrap('n', '12'), scrap('s', 'not json'), scrap('df', 'UEFSMQ==', 'arrow'), scrap('d', null, 'display')]);
    expect(collectScraps(nb)).toEqual({ n: 12, s: 'not json' });
  });

  test("reads papermill's older pm.record outputs", () => {
    const nb = book([{ output_type: 'display_data', data: { 'application/papermill.record+json': { old: 3 } }, metadata: {} }]);
    expect(collectScraps(nb)).toEqual({ old: 3 });
  });
});

describe('checkOutputType', () => {
  test.each<[unknown, OutputType, string | undefined]>([
    [12, 'integer', undefined],
    [12n, 'integer', undefined],
    [1.5, 'number', undefined],
    [3, 'number', undefined],
    ['x', 'string', undefined],
    [false, 'boolean', undefined],
    [[1], 'list', undefined],
    [{ a: 1 }, 'object', undefined],
    [null, 'any', undefined],
    ['12', 'integer', 'output "v" should be integer but the notebook recorded a string ("12")'],
    [1.5, 'integer', 'output "v" should be integer but the notebook recorded a float (1.5)'],
    [NaN, 'integer', 'output "v" should be integer but the notebook recorded a float (nan)'],
    [3, 'string', 'output "v" should be string but the notebook recorded an integer (3)'],
    [null, 'number', 'output "v" should be number but the notebook recorded null'],
    [true, 'integer', 'output "v" should be integer but the notebook recorded a boolean (true)'],
    [[1, 2], 'object', 'output "v" should be object but the notebook recorded a list ([1,2])'],
    [{ a: 1 }, 'list', 'output "v" should be list but the notebook recorded an object ({"a":1})'],
    ['x'.repeat(100), 'integer', `output "v" should be integer but the notebook recorded a string ("${'x'.repeat(58)}…)`],
  ])('%s as %s', (value, type, message) => {
    expect(checkOutputType('v', value, type)).toBe(message);
  });
});

describe('outputs probe', () => {
  test('reads variables from Python exactly; missing names are absent; unserializable ones say why', () => {
    const setup = [
      'import numpy as np',
      'rows = 3; ratio = 0.75; name = "é\\u2028\\"x"; flag = True; nothing = None',
      'big = 10**30; nan = float("nan"); ninf = float("-inf"); negzero = -0.0',
      'nested = {"a": [1, (2, 3)], "$flow": "user key", "__proto__": 1}',
      'npint = np.int64(7); arr = np.arange(3); frame = object(); badkey = {1: 2}',
    ].join('\n');
    const names = [
      'rows',
      'ratio',
      'name',
      'flag',
      'nothing',
      'big',
      'nan',
      'ninf',
      'negzero',
      'nested',
      'npint',
      'arr',
      'frame',
      'badkey',
      'missing',
    ];
    const stdout = runPython(`${setup}\nprint("noise")\n${outputsProbeCode(names)}\nassert "_flow_outputs_probe" not in globals()`);
    expect(stdout.startsWith(`noise\n${PROBE_MARKER}`)).toBe(true);
    const result = parseOutputsProbe(stdout)!;
    const nested = JSON.parse('{"a": [1, [2, 3]], "$flow": "user key", "__proto__": 1}');
    expect(result.values).toEqual({
      rows: 3,
      ratio: 0.75,
      name: 'é\u2028"x',
      flag: true,
      nothing: null,
      big: 10n ** 30n,
      nan: NaN,
      ninf: -Infinity,
      negzero: -0,
      nested,
      npint: 7,
      arr: [0, 1, 2],
    });
    expect(Object.keys(result.values.nested as object)).toEqual(['a', '$flow', '__proto__']);
    expect(result.errors).toEqual({ frame: 'object is not JSON-serializable', badkey: 'a dict key is int, not str' });
  });

  test('no marker: undefined', () => {
    expect(parseOutputsProbe('Traceback…\n')).toBeUndefined();
  });
});

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatParameterHelp, inspectParameters } from '../../../src/notebook/inspect-parameters.js';
import { readNotebook } from '../../../src/notebook/read-notebook.js';
import type { Notebook } from '../../../src/notebook/types.js';
import { fixturesDir } from '../../helpers/paths.js';
import { python, runPython } from '../../helpers/python.js';
import { execFileSync } from 'node:child_process';

const withParams = (source: string, language = 'python'): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'k', language } },
  cells: [{ cell_type: 'code', id: 'p', source, metadata: { tags: ['parameters'] }, outputs: [], execution_count: null }],
});

const SOURCES = [
  'a = 1',
  'alpha: float = 0.5  # learning rate\nname = "world"  # who to greet',
  '# a comment\n\nx: int = 3\ny = 2  # type: float\nz = "a # not help"',
  'opts = {\n  "a": 1,  # ignored\n  "b": [1, 2],\n}  # the options',
  'cond = a == b\nlst: List[str] = []\nt: "Tuple[int, int]" = (1, 2)',
  'naïve = 1\n  indented = 2\n',
];

describe('inspectParameters', () => {
  test("matches papermill's PythonTranslator.inspect", () => {
    const expected = JSON.parse(
      runPython(
        [
          'import json, sys',
          'from papermill.translators import PythonTranslator',
          'out = []',
          'for src in json.load(sys.stdin):',
          '    ps = PythonTranslator.inspect({"source": src})',
          '    out.append([{"name": p.name, "inferredType": None if p.inferred_type_name == "None" else p.inferred_type_name, "default": p.default, "help": p.help} for p in ps])',
          'print(json.dumps(out))',
        ].join('\n'),
        JSON.stringify(SOURCES),
      ),
    );
    expect(SOURCES.map((s) => inspectParameters(withParams(s)))).toEqual(expected);
  });

  test('exact results for a typical cell', () => {
    expect(inspectParameters(withParams('alpha: float = 0.5  # learning rate\nname = "world"'))).toEqual([
      { name: 'alpha', inferredType: 'float', default: '0.5', help: 'learning rate' },
      { name: 'name', inferredType: null, default: '"world"', help: '' },
    ]);
  });

  test('non-Python notebooks and notebooks without a parameters cell give nothing', () => {
    expect(inspectParameters(withParams('a = 1', 'R'))).toEqual([]);
    expect(inspectParameters({ ...withParams('a = 1'), cells: [] })).toEqual([]);
  });
});

describe('formatParameterHelp', () => {
  test('prints what papermill --help-notebook prints', async () => {
    const path = join(fixturesDir, 'notebooks', 'two-params.ipynb');
    const text = formatParameterHelp(path, await readNotebook(path));
    expect(text).toBe(
      [
        `Parameters inferred for notebook '${path}':`,
        '  alpha: float (default 0.5)      learning rate',
        '  name: Unknown type (default "world")',
        '                                  who to greet',
        '',
      ].join('\n'),
    );
    const papermill = execFileSync(join(python, '..', 'papermill'), ['--help-notebook', path], { encoding: 'utf8' });
    expect(papermill.endsWith(text)).toBe(true);
  });

  test.each([
    [withParams(''), "\n  Can't infer anything about this notebook's parameters. It may not have any parameter defined.\n"],
    [{ ...withParams(''), cells: [] }, "\n  No cell tagged 'parameters'\n"],
    [withParams('a <- 1', 'R'), '\n  flow cannot infer the parameters of R notebooks (only Python).\n'],
  ])('%#', (nb, tail) => {
    expect(formatParameterHelp('x.ipynb', nb)).toBe(`Parameters inferred for notebook 'x.ipynb':\n${tail}`);
  });
});

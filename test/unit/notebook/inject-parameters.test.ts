import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { injectParameters } from '../../../src/notebook/inject-parameters.js';
import { readNotebook } from '../../../src/notebook/read-notebook.js';
import { sourceText, type Cell, type Notebook } from '../../../src/notebook/types.js';
import { fixturesDir } from '../../helpers/paths.js';

const fixture = (name: string) => readNotebook(join(fixturesDir, 'notebooks', name));
const code = (source: string, tags?: string[]): Cell => ({
  cell_type: 'code',
  id: source.replace(/\W/g, '') || 'empty',
  source,
  metadata: tags ? { tags } : {},
  outputs: [],
  execution_count: null,
});
const book = (...cells: Cell[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const layout = (nb: Notebook) => nb.cells.map((c) => `${(c.metadata.tags ?? []).join(',') || '-'}: ${sourceText(c.source)}`);

describe('injectParameters', () => {
  test('goes right after the first parameters cell; the input is unchanged', async () => {
    const nb = await fixture('two-params.ipynb');
    const before = structuredClone(nb);
    const { notebook, warnings } = injectParameters(nb, { alpha: 0.1, name: 'flow' }, { language: 'python' });
    expect(nb).toEqual(before);
    expect(warnings).toEqual([]);
    expect(layout(notebook).slice(0, 3)).toEqual([
      '-: Greets someone.',
      'parameters: alpha: float = 0.5  # learning rate\nname = "world"  # who to greet',
      'injected-parameters: # Parameters\nalpha = 0.1\nname = "flow"\n',
    ]);
    expect(notebook.cells[2]!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(notebook.cells).toHaveLength(5);
    expect(notebook.metadata.papermill).toEqual({ parameters: { alpha: 0.1, name: 'flow' } });
  });

  test('only the first parameters cell counts', () => {
    const { notebook } = injectParameters(
      book(code('a = 1', ['parameters']), code('b = 2', ['parameters'])),
      { a: 2 },
      { language: 'python' },
    );
    expect(layout(notebook)).toEqual(['parameters: a = 1', 'injected-parameters: # Parameters\na = 2\n', 'parameters: b = 2']);
  });

  test('replaces the first injected-parameters cell in place (a re-run output notebook)', () => {
    const nb = book(
      code('a = 1', ['parameters']),
      code('x = 0'),
      code('# Parameters\na = 5\n', ['injected-parameters']),
      code('# Parameters\na = 6\n', ['injected-parameters']),
    );
    const { notebook, warnings } = injectParameters(nb, { a: 7 }, { language: 'python' });
    expect(warnings).toEqual([]);
    expect(layout(notebook)).toEqual([
      'parameters: a = 1',
      '-: x = 0',
      'injected-parameters: # Parameters\na = 7\n',
      'injected-parameters: # Parameters\na = 6\n',
    ]);
  });

  test('without a parameters cell it goes first, with a warning', async () => {
    const { notebook, warnings } = injectParameters(await fixture('no-parameters-cell.ipynb'), { alpha: 1 }, { language: 'python' });
    expect(layout(notebook)[0]).toBe('injected-parameters: # Parameters\nalpha = 1\n');
    expect(warnings).toEqual(['the notebook has no cell tagged "parameters": the injected parameters cell was put first']);
  });

  test('warns about parameters the parameters cell does not define, as papermill does', async () => {
    const { warnings } = injectParameters(await fixture('two-params.ipynb'), { alpha: 1, beta: 2 }, { language: 'python' });
    expect(warnings).toEqual([`parameter "beta" is not defined in the notebook's parameters cell`]);
  });

  test('no warning for params passed on purpose (defaults.params, a matrix axis naming the notebook)', async () => {
    const nb = await fixture('two-params.ipynb');
    const { warnings, notebook } = injectParameters(nb, { alpha: 1, beta: 2, gamma: 3 }, { language: 'python', expected: ['beta'] });
    expect(warnings).toEqual([`parameter "gamma" is not defined in the notebook's parameters cell`]);
    expect(notebook.metadata.papermill).toMatchObject({ parameters: { alpha: 1, beta: 2, gamma: 3 } });
  });

  test('with no parameters nothing is injected (as papermill)', () => {
    const nb = book(code('a = 1', ['parameters']));
    expect(injectParameters(nb, {}, { language: 'python' })).toEqual({ notebook: nb, warnings: [] });
  });

  test('report mode hides the injected source', () => {
    const { notebook } = injectParameters(book(), { a: 1 }, { language: 'python', reportMode: true });
    expect(notebook.cells[0]!.metadata).toEqual({ tags: ['injected-parameters'], jupyter: { source_hidden: true } });
  });

  test('uses the kernel language', () => {
    const { notebook } = injectParameters(book(code('a <- 1', ['parameters'])), { a: true, b: null }, { language: 'R' });
    expect(sourceText(notebook.cells[1]!.source)).toBe('# Parameters\na = TRUE\nb = NULL\n');
  });

  test.each([
    ['python', 'my-param', 'parameter name "my-param" is not a valid Python variable name'],
    ['python', '1st', 'parameter name "1st" is not a valid Python variable name'],
    ['python', 'class', 'parameter name "class" is not a valid Python variable name'],
    ['python', '', 'parameter name "" is not a valid Python variable name'],
    ['bash', 'naïve', 'parameter name "naïve" is not a valid bash variable name'],
    ['julia', 'a b', 'parameter name "a b" is not a valid Julia variable name'],
  ])('%s rejects %j', (language, name, message) => {
    expect(() => injectParameters(book(), { [name]: 1 }, { language })).toThrow(new UsageError(message));
  });

  test('accepts Unicode identifiers in Python', () => {
    const { notebook } = injectParameters(book(), { naïve_δ: 1 }, { language: 'python' });
    expect(sourceText(notebook.cells[0]!.source)).toBe('# Parameters\nnaïve_δ = 1\n');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { notebookKernel, parseNotebook, readNotebook } from '../../../src/notebook/read-notebook.js';
import { jsonErrorPosition } from '../../../src/notebook/json-error-position.js';
import { fixturesDir } from '../../helpers/paths.js';
import type { Notebook } from '../../../src/notebook/types.js';

const fixture = (name: string) => join(fixturesDir, 'notebooks', name);

async function readError(path: string): Promise<UsageError> {
  const err = await readNotebook(path).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('readNotebook', () => {
  test('reads a 4.5 notebook as it is', async () => {
    const nb = await readNotebook(fixture('two-params.ipynb'));
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.cells.map((c) => c.id)).toEqual(['two-params-0', 'two-params-1', 'two-params-2', 'two-params-3']);
    expect(nb.cells[1]!.metadata.tags).toEqual(['parameters']);
  });

  test('upgrades 4.4 to 4.5 with 8-character ids and keeps unknown metadata', async () => {
    const nb = await readNotebook(fixture('nbformat4-4-no-ids.ipynb'));
    expect(nb.nbformat_minor).toBe(5);
    for (const c of nb.cells) expect(c.id).toMatch(/^[0-9a-f]{8}$/);
    expect(nb.cells[0]!.id).not.toBe(nb.cells[1]!.id);
    expect(nb.metadata.custom).toEqual({ kept: true });
  });

  test.each([
    ['missing file', 'no-such.ipynb', `notebook not found: ${fixture('no-such.ipynb')}`],
    [
      'nbformat 3',
      'nbformat3.ipynb',
      `${fixture('nbformat3.ipynb')} is nbformat 3; flow reads nbformat 4 — convert it with \`jupyter nbconvert --to notebook --nbformat 4 ${fixture('nbformat3.ipynb')}\``,
    ],
  ])('%s', async (_what, name, message) => {
    expect((await readError(fixture(name))).message).toBe(message);
  });

  test('a directory', async () => {
    expect((await readError(fixturesDir)).message).toBe(`${fixturesDir} is a directory, not a notebook`);
  });
});

describe('parseNotebook errors', () => {
  const cases: [string, string, string][] = [
    ['invalid JSON with line:col', '{\n "cells": [,]\n}', 'x.ipynb:2:12: the notebook is not valid JSON ('],
    ['truncated JSON', '{\n "cells": [', 'x.ipynb:2:12: the notebook is not valid JSON ('],
    ['empty file', '', 'x.ipynb:1:1: the notebook is not valid JSON ('],
    ['not an object', '[1]', 'x.ipynb is not a Jupyter notebook: it is not a JSON object'],
    ['no nbformat', '{"cells": []}', 'x.ipynb is not a Jupyter notebook: it has no "nbformat" field'],
    ['nbformat 5', '{"nbformat": 5, "cells": []}', 'x.ipynb is nbformat 5, newer than flow reads (nbformat 4)'],
    ['no cells', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', 'x.ipynb is not a Jupyter notebook: it has no "cells" list'],
    [
      'bad cell',
      '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"source": ""}]}',
      'x.ipynb is not a valid notebook: cell 0 has no valid "cell_type"',
    ],
  ];
  test.each(cases)('%s', (_what, text, start) => {
    let message = '';
    try {
      parseNotebook(text, 'x.ipynb');
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      message = (e as Error).message;
    }
    expect(message.startsWith(start), message).toBe(true);
  });

  test('drops transient keys, fills code cell fields, repairs duplicate ids', () => {
    const nb = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { signature: 'x', orig_nbformat: 3, keep: 1 },
        cells: [
          { cell_type: 'code', id: 'same', metadata: { trusted: true }, source: 'a' },
          { cell_type: 'code', id: 'same', metadata: {}, source: 'b', outputs: [], execution_count: 3 },
        ],
      }),
      'x.ipynb',
    );
    expect(nb.metadata).toEqual({ keep: 1 });
    expect(nb.cells[0]).toEqual({ cell_type: 'code', id: 'same', metadata: {}, source: 'a', outputs: [], execution_count: null });
    expect(nb.cells[1]!.id).toMatch(/^[0-9a-f]{8}$/);
  });

  test('a byte order mark is ignored', () => {
    expect(parseNotebook('\ufeff{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[]}', 'x').cells).toEqual([]);
  });
});

describe('jsonErrorPosition', () => {
  test.each([
    ['{"a": }', { line: 1, col: 7 }],
    ['{"a": 1,\n}', { line: 2, col: 1 }],
    ['[1, 2] x', { line: 1, col: 8 }],
    ['"\u0001"', { line: 1, col: 2 }],
    ['{"a": [true, nul]}', { line: 1, col: 17 }],
    ['{"a": -}', { line: 1, col: 7 }],
  ])('%j', (text, pos) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorPosition(text)).toEqual(pos);
  });
  test('valid JSON has no error', () => {
    expect(jsonErrorPosition('{"a": [1, -2.5e3, "x\\u00e9", null, {}]}')).toBeUndefined();
  });
});

describe('notebookKernel', () => {
  const nb = (metadata: Notebook['metadata']): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata, cells: [] });
  test.each([
    [{}, { name: undefined, language: 'python' }],
    [{ kernelspec: { name: 'ir', language: 'R' } }, { name: 'ir', language: 'R' }],
    [
      { kernelspec: { name: 'julia-1.10' }, language_info: { name: 'julia' } },
      { name: 'julia-1.10', language: 'julia' },
    ],
    [
      { kernelspec: { name: 'x', language: 'R' }, language_info: { name: 'python' } },
      { name: 'x', language: 'python' },
    ],
  ])('%j', (metadata, expected) => {
    expect(notebookKernel(nb(metadata as Notebook['metadata']))).toEqual(expected);
  });
});

test('readNotebook reports unreadable files with the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flow-nb-'));
  const path = join(dir, 'bad.ipynb');
  writeFileSync(path, '{"nbformat": 4,\n "cells": [}');
  expect((await readError(path)).message.startsWith(`${path}:2:12: the notebook is not valid JSON (`)).toBe(true);
});

// The fixture notebooks other tests run are valid nbformat 4.5, before and after injection.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { injectParameters } from '../../../src/notebook/inject-parameters.js';
import { readNotebook } from '../../../src/notebook/read-notebook.js';
import { serializeNotebook } from '../../../src/notebook/serialize-notebook.js';
import { fixturesDir } from '../../helpers/paths.js';
import { runPython } from '../../helpers/python.js';

test('every fixture notebook validates, as read and after injection', async () => {
  const dir = join(fixturesDir, 'notebooks');
  const names = readdirSync(dir).filter((n) => n.endsWith('.ipynb') && n !== 'nbformat3.ipynb');
  const texts: string[] = [];
  for (const name of names) {
    const nb = await readNotebook(join(dir, name));
    texts.push(serializeNotebook(nb));
    texts.push(serializeNotebook(injectParameters(nb, { injected: [1, 'two', null] }, { language: 'python' }).notebook));
  }
  const report = runPython(
    [
      'import json, sys, nbformat',
      'for text in json.load(sys.stdin):',
      '    nb = nbformat.reads(text, as_version=4)',
      '    nbformat.validate(nb)',
      '    assert (nb.nbformat, nb.nbformat_minor, nb.metadata.kernelspec.name) == (4, 5, "python3"), nb.metadata',
      'print("ok")',
    ].join('\n'),
    JSON.stringify(texts),
  );
  expect(report.trim()).toBe('ok');
  expect(names).toContain('fails-in-cell-3.ipynb');
});

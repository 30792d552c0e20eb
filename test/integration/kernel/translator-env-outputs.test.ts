// A node's env and its outputs read from variables, through the translators, on real Python and bash kernels.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeNotebook, kernelPathFor } from '../../../src/kernel/execute-notebook.js';
import { KernelSession } from '../../../src/kernel/kernel-session.js';
import { useTestServer } from '../../helpers/server.js';

const server = useTestServer();
const tmp = mkdtempSync(join(tmpdir(), 'flow-translator-kernels-'));
/** Quotes, a backslash, a newline, a line separator IPython would split on, and non-ASCII. */
const greeting = 'it\'s "hi" \\ \n\u2028 é😀 $HOME';

function notebook(name: string, language: string, source: string): string {
  const path = join(tmp, `${name}.ipynb`);
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name, language, display_name: name } },
    cells: [{ cell_type: 'code', id: 'c1', metadata: {}, source, outputs: [], execution_count: null }],
  };
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

async function run(inputPath: string, declaredOutputs: Record<string, 'string' | 'list' | 'object' | 'any'>) {
  const result = await executeNotebook({
    inputPath,
    outputPath: inputPath.replace(/\.ipynb$/, '.out.ipynb'),
    params: {},
    env: { GREETING: greeting, EMPTY: '' },
    declaredOutputs,
    getKernel: (kernelName) => KernelSession.start({ endpoint: server(), kernelName, path: kernelPathFor(tmp) }),
  });
  if (!result.ok) throw new Error(`the notebook failed: ${result.error.message}`);
  return result.outputs;
}

describe('env and outputs through the translator', () => {
  it('Python', async () => {
    const nb = notebook(
      'python3',
      'python',
      'import os\ngot = os.environ["GREETING"] + "!"\nempty = os.environ["EMPTY"]\nitems = [1, "x"]',
    );
    expect(await run(nb, { got: 'string', empty: 'string', items: 'list' })).toEqual({ got: `${greeting}!`, empty: '', items: [1, 'x'] });
  });

  describe('bash', () => {
    beforeAll(async () => {
      const res = await fetch(`${server().baseUrl}/api/kernelspecs`, { headers: { Authorization: `token ${server().token}` } });
      const specs = ((await res.json()) as { kernelspecs: Record<string, unknown> }).kernelspecs;
      if (!('bash' in specs)) throw new Error('the bash kernel is not installed: run `npm run setup` (python/requirements-dev.txt)');
    });

    it('exports env and reads strings, arrays and associative arrays', async () => {
      const source = 'got="$GREETING!"\nempty="$EMPTY"\narr=(a "b c" "")\ndeclare -A m=([k]=v ["two words"]="$GREETING")\necho done';
      const nb = notebook('bash', 'bash', source);
      expect(await run(nb, { got: 'string', empty: 'string', arr: 'list', m: 'object' })).toEqual({
        got: `${greeting}!`,
        empty: '',
        arr: ['a', 'b c', ''],
        m: { k: 'v', 'two words': greeting },
      });
    });
  });
});

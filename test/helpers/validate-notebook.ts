// Validates executed notebooks with Python's own nbformat: one Python start-up for a whole batch.
import { execa } from 'execa';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export const venvPython = join(repoRoot, '.venv', 'bin', 'python');

const SCRIPT = `
import json, sys, nbformat
problems = {}
for path in sys.argv[1:]:
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if nb.nbformat != 4:
            raise ValueError("nbformat %s, not 4" % nb.nbformat)
        nbformat.validate(nb)
    except Exception as e:
        problems[path] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
print(json.dumps(problems))
`;

/**
 * Throws naming every file that nbformat does not accept as a valid nbformat 4 notebook. Batch
 * the files of a test file into one call: each call costs a Python start-up (~0.5 s).
 */
export async function validateNotebooks(paths: readonly string[]): Promise<void> {
  if (paths.length === 0) throw new Error('validateNotebooks: no notebooks given (did the tests record them?)');
  const { stdout } = await execa(venvPython, ['-c', SCRIPT, ...paths]);
  const problems = JSON.parse(stdout) as Record<string, string>;
  const lines = Object.entries(problems).map(([p, why]) => `${p}: ${why}`);
  if (lines.length > 0) throw new Error(`nbformat rejects ${lines.length} notebook(s):\n${lines.join('\n')}`);
}

// Runs the project's Python (.venv) from notebook unit tests: one subprocess per call, stdin in, stdout out.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

const venv = join(repoRoot, '.venv', 'bin', 'python');
export const python = existsSync(venv) ? venv : 'python3';

/** Runs `script` with `stdin`; returns stdout. Throws with stderr if Python fails. */
export function runPython(script: string, stdin = '', args: string[] = []): string {
  return execFileSync(python, ['-c', script, ...args], {
    input: stdin,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
  });
}

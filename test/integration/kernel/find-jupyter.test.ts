// Where flow looks for Jupyter, in order, and what it says when there is none.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJupyter } from '../../../src/kernel/find-jupyter.js';
import { repoRoot } from '../../helpers/paths.js';

const venvJupyter = join(repoRoot, '.venv', 'bin', 'jupyter');

/** A folder with no .venv anywhere above it that flow could find (tmpdir is outside the repo). */
function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'flow-find-'));
}

describe('findJupyter', () => {
  it('says how to install one when none has jupyter_server', () => {
    const fakeBin = emptyDir();
    // A `jupyter` on PATH whose Python lacks jupyter_server (only jupyter_core, say).
    writeFileSync(join(fakeBin, 'jupyter'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(fakeBin, 'jupyter'), 0o755);
    expect(() => findJupyter({ cwd: emptyDir(), env: { PATH: fakeBin } })).toThrow(
      /No Jupyter with jupyter_server was found \(looked at --jupyter, FLOW_JUPYTER, \.venv, PATH\)\.\n {2}Install one with `npm run setup`/,
    );
  });

  it('prefers --jupyter, then FLOW_JUPYTER, then a .venv above the current folder, then PATH', () => {
    const cwd = emptyDir();
    expect(findJupyter({ explicit: join(repoRoot, '.venv'), cwd, env: {} })).toEqual({ jupyter: venvJupyter, source: '--jupyter' });
    expect(findJupyter({ cwd, env: { FLOW_JUPYTER: venvJupyter } })).toEqual({ jupyter: venvJupyter, source: 'FLOW_JUPYTER' });
    const project = emptyDir();
    symlinkSync(join(repoRoot, '.venv'), join(project, '.venv'));
    mkdirSync(join(project, 'notebooks'));
    expect(findJupyter({ cwd: join(project, 'notebooks'), env: {} }).source).toBe('.venv');
    expect(findJupyter({ cwd, env: { PATH: join(repoRoot, '.venv', 'bin') } })).toEqual({ jupyter: venvJupyter, source: 'PATH' });
  });

  it('names a --jupyter path that holds no jupyter', () => {
    const dir = emptyDir();
    expect(() => findJupyter({ explicit: dir, env: {} })).toThrow(`--jupyter ${dir}: no jupyter executable there.`);
  });
});

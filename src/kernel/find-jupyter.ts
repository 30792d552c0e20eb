// Finds the `jupyter` executable: --jupyter, then FLOW_JUPYTER, then ./.venv, then PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { JupyterServerError } from '../errors.js';
import { jupyterPython } from './jupyter-server.js';

export interface FoundJupyter {
  /** Absolute path of the `jupyter` executable. */
  jupyter: string;
  /** Where it came from, for messages. */
  source: '--jupyter' | 'FLOW_JUPYTER' | '.venv' | 'PATH';
}

export interface FindJupyterOptions {
  /** From `--jupyter PATH`: the executable, or a venv/prefix folder holding bin/jupyter. */
  explicit?: string;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where to look for `.venv`: this folder and its parents. @default process.cwd() */
  cwd?: string;
  /** Also the folder flow is installed in (its own .venv). */
  installDir?: string;
}

const INSTALL_HINT =
  'Install one with `npm run setup` (creates ./.venv from python/requirements.txt), or ' +
  '`python3 -m pip install jupyter_server ipykernel`, or on Debian `apt-get install jupyter-server python3-ipykernel`; ' +
  'then point flow at it with --jupyter PATH or FLOW_JUPYTER=PATH.';

function asExecutable(p: string): string | undefined {
  const candidates = [p, join(p, 'bin', 'jupyter'), join(p, 'Scripts', 'jupyter.exe')];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return resolve(c);
    } catch {
      // not there
    }
  }
  return undefined;
}

function hasJupyterServer(jupyter: string): boolean {
  // `jupyter server --version` imports the whole server (≈2.5 s of CPU, measured, blocking the
  // event loop); asking the script's own Python whether the package is there takes ≈30 ms. A
  // `jupyter` that is not a Python script is asked the slow way (it fails when only
  // jupyter_core or notebook 6 is installed).
  const python = jupyterPython(jupyter);
  const r = python
    ? spawnSync(
        python[0]!,
        [...python.slice(1), '-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("jupyter_server") is None)'],
        { timeout: 30_000 },
      )
    : spawnSync(jupyter, ['server', '--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

function* venvCandidates(start: string): Generator<string> {
  let dir = resolve(start);
  for (;;) {
    yield join(dir, '.venv');
    const up = dirname(dir);
    if (up === dir) return;
    dir = up;
  }
}

/** Throws JupyterServerError saying exactly how to install one when none is usable. */
export function findJupyter(opts: FindJupyterOptions = {}): FoundJupyter {
  const env = opts.env ?? process.env;
  if (opts.explicit) {
    const j = asExecutable(opts.explicit);
    if (!j) throw new JupyterServerError(`--jupyter ${opts.explicit}: no jupyter executable there.`, INSTALL_HINT);
    if (!hasJupyterServer(j)) throw new JupyterServerError(`--jupyter ${j} has no jupyter_server.`, INSTALL_HINT);
    return { jupyter: j, source: '--jupyter' };
  }
  if (env.FLOW_JUPYTER) {
    const j = asExecutable(env.FLOW_JUPYTER);
    if (!j) throw new JupyterServerError(`FLOW_JUPYTER=${env.FLOW_JUPYTER}: no jupyter executable there.`, INSTALL_HINT);
    if (!hasJupyterServer(j)) throw new JupyterServerError(`FLOW_JUPYTER=${j} has no jupyter_server.`, INSTALL_HINT);
    return { jupyter: j, source: 'FLOW_JUPYTER' };
  }
  const roots = [opts.cwd ?? process.cwd(), ...(opts.installDir ? [opts.installDir] : [])];
  for (const root of roots) {
    for (const venv of venvCandidates(root)) {
      if (!existsSync(venv)) continue;
      const j = asExecutable(venv);
      if (j && hasJupyterServer(j)) return { jupyter: j, source: '.venv' };
    }
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const j = asExecutable(join(dir, process.platform === 'win32' ? 'jupyter.exe' : 'jupyter'));
    if (j && hasJupyterServer(j)) return { jupyter: j, source: 'PATH' };
  }
  throw new JupyterServerError('No Jupyter with jupyter_server was found (looked at --jupyter, FLOW_JUPYTER, .venv, PATH).', INSTALL_HINT);
}

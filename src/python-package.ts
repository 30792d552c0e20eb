// Where flow's Python package is (python/flow_jupyter): the files its Jupyter server and kernels run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

/** `<package root>/python`: the folder to put on a Python's path to import `flow_jupyter`. */
export const pythonDir = join(packageRoot, 'python');

/** The path of a file of the `flow_jupyter` package, e.g. `server.py`. */
export function pythonPackageFile(name: string): string {
  return join(pythonDir, 'flow_jupyter', name);
}

const sources = new Map<string, string>();

/** A file of the `flow_jupyter` package as text (read once), for code sent to a kernel as source. */
export function pythonSource(name: string): string {
  let text = sources.get(name);
  if (text === undefined) {
    text = readFileSync(pythonPackageFile(name), 'utf8');
    sources.set(name, text);
  }
  return text;
}

// One embedded Jupyter server per test file: real server, real kernels.
import { findJupyter } from '../../src/kernel/find-jupyter.js';
import { startJupyterServer, type JupyterServer } from '../../src/kernel/jupyter-server.js';
import { repoRoot } from './paths.js';

export async function startTestServer(): Promise<JupyterServer> {
  const { jupyter } = findJupyter({ cwd: repoRoot });
  return startJupyterServer({ jupyter });
}

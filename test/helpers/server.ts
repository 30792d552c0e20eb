// One embedded Jupyter server per test file: real server, real kernels.
import { afterAll, beforeAll } from 'vitest';
import { findJupyter } from '../../src/kernel/find-jupyter.js';
import { startJupyterServer, type JupyterServer, type StartServerOptions } from '../../src/kernel/jupyter-server.js';
import { repoRoot } from './paths.js';

export async function startTestServer(opts: Omit<StartServerOptions, 'jupyter'> = {}): Promise<JupyterServer> {
  const { jupyter } = findJupyter({ cwd: repoRoot });
  return startJupyterServer({ jupyter, ...opts });
}

/**
 * One server for the calling test file: started before its tests, stopped after them.
 * Returns a getter, since the server exists only once `beforeAll` has run.
 */
export function useTestServer(): () => JupyterServer {
  let server: JupyterServer | undefined;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('useTestServer: the server is used before beforeAll ran');
    return server;
  };
}

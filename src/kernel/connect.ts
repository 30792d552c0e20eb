// Gets a Jupyter server for a run: the embedded one (default) or an existing one (--server-url).
import { JupyterServerError, UsageError } from '../errors.js';
import { findJupyter } from './find-jupyter.js';
import { restRequest } from './kernel-rest.js';
import { startJupyterServer, type JupyterServer } from './jupyter-server.js';
import type { KernelPrelaunch } from './kernel-prelaunch.js';

export interface ConnectOptions {
  /** `--jupyter PATH`. */
  jupyter?: string;
  /** `--server-url URL`: use an existing Jupyter Server, JupyterHub or Enterprise Gateway. */
  serverUrl?: string;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Folder flow is installed in, to find its own .venv. */
  installDir?: string;
  log?: (line: string) => void;
  /** Abandons an embedded server's start (see StartServerOptions.signal). */
  signal?: AbortSignal;
  /** Kernels an embedded server starts while it starts itself. */
  prelaunch?: KernelPrelaunch;
}

export async function connectJupyter(opts: ConnectOptions = {}): Promise<JupyterServer> {
  const env = opts.env ?? process.env;
  if (opts.serverUrl) {
    let url: URL;
    try {
      url = new URL(opts.serverUrl);
    } catch {
      throw new UsageError(`--server-url ${opts.serverUrl} is not a URL`, 'e.g. --server-url http://127.0.0.1:8888');
    }
    const token = env.JUPYTER_TOKEN ?? '';
    const baseUrl = url.toString().replace(/\/$/, '');
    const res = await restRequest({ baseUrl, token }, 'GET', '/api/status').catch((err: Error) => {
      throw new JupyterServerError(`cannot reach the Jupyter server at ${baseUrl}: ${err.message}`);
    });
    if (res.status === 403 || res.status === 401) {
      throw new JupyterServerError(
        `the Jupyter server at ${baseUrl} refused the token (HTTP ${res.status})`,
        'set JUPYTER_TOKEN to its token',
      );
    }
    if (res.status < 200 || res.status >= 300)
      throw new JupyterServerError(`the Jupyter server at ${baseUrl} answered HTTP ${res.status} to /api/status`);
    return { baseUrl, token, embedded: false, stop: async () => {} };
  }
  const found = findJupyter({ explicit: opts.jupyter, env, installDir: opts.installDir });
  return startJupyterServer({ jupyter: found.jupyter, log: opts.log, signal: opts.signal, prelaunch: opts.prelaunch });
}

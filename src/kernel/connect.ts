// Gets a Jupyter server for a run: the embedded one (default) or an existing one (--server-url).
import { JupyterServerError, UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { findJupyter } from './find-jupyter.js';
import { restRequest } from './kernel-rest.js';
import { startJupyterServer, type JupyterServer } from './jupyter-server.js';
import type { KernelPrelaunch } from './kernel-prelaunch.js';

/** How to get a Jupyter server: an embedded one flow starts (the default), or an existing one. */
export interface ConnectOptions {
  /**
   * The `jupyter` executable for an embedded server, or a venv/prefix folder holding it.
   * @default $FLOW_JUPYTER, then `.venv` in the current folder or a parent, then flow's own `.venv`, then PATH
   */
  jupyter?: string;
  /** Use an existing Jupyter Server, JupyterHub user server or Enterprise Gateway at this URL instead. */
  serverUrl?: string;
  /** The existing server's token. @default env.JUPYTER_TOKEN */
  token?: string;
  /** Where FLOW_JUPYTER and JUPYTER_TOKEN are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Folder flow is installed in, to find its own .venv. @default the nbflow package's folder */
  installDir?: string;
  /** Receives the embedded server's log lines (flow never prints them). */
  log?: (line: string) => void;
  /** Abandons an embedded server's start (see StartServerOptions.signal). */
  signal?: AbortSignal;
  /** Kernels an embedded server starts while it starts itself. */
  prelaunch?: KernelPrelaunch;
  /**
   * false: an embedded server launches every kernel anew instead of forking Python kernels from
   * its fork server (python/flow_jupyter/forking.py). @default true, unless $FLOW_FORK is 0
   */
  fork?: boolean;
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
    const token = opts.token ?? env.JUPYTER_TOKEN ?? '';
    const baseUrl = url.toString().replace(/\/$/, '');
    const ask = (path: string) =>
      restRequest({ baseUrl, token }, 'GET', path).catch((err: Error) => {
        throw new JupyterServerError(`cannot reach the Jupyter server at ${baseUrl}: ${err.message}`);
      });
    let res = await ask('/api/status');
    // Jupyter Enterprise Gateway has no /api/status: it is known by its kernelspecs (and /api).
    const gateway = res.status === 404 && (res = await ask('/api/kernelspecs')).status < 300;
    if (res.status === 403 || res.status === 401) {
      throw new JupyterServerError(
        `the Jupyter server at ${baseUrl} refused the token (HTTP ${res.status})`,
        'set JUPYTER_TOKEN to its token',
      );
    }
    if (res.status < 200 || res.status >= 300) {
      throw new JupyterServerError(`the Jupyter server at ${baseUrl} answered HTTP ${res.status} to /api/status and /api/kernelspecs`);
    }
    return { baseUrl, token, embedded: false, ...(gateway && { gateway: true }), stop: async () => {} };
  }
  const found = findJupyter({ explicit: opts.jupyter, env, installDir: opts.installDir ?? packageRoot });
  return startJupyterServer({
    jupyter: found.jupyter,
    log: opts.log,
    signal: opts.signal,
    prelaunch: opts.prelaunch,
    ...(opts.fork === false && { fork: false }),
  });
}

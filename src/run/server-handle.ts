// The Jupyter server a run uses: one the caller owns, or one started for it here (and stopped after).
import { connectJupyter, type ConnectOptions } from '../kernel/connect.js';
import type { JupyterServer } from '../kernel/jupyter-server.js';
import { KernelPrelaunch } from '../kernel/kernel-prelaunch.js';

/** A server being started (or started), with its log; whoever opened it stops it. */
export interface ServerHandle {
  server: Promise<JupyterServer>;
  /** The server's log lines, the last 2,000 (for error messages, and jupyter-server.log in the run directory). */
  log: string[];
  /**
   * Asks the server, while it still starts, to start the kernel a node will ask for first (a
   * hint: see KernelPrelaunch). No effect on a server flow did not start.
   */
  prelaunch(kernelName: string, cwd: string): void;
  /** Kills a server that is still starting (nothing will use it), else stops it. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Where a run gets its server: a running `JupyterServer` (the caller stops it), a `ServerHandle`
 * (likewise), or how to connect to one (`ConnectOptions`: an embedded server is started for the
 * run and stopped when it ends, or `serverUrl` names an existing one).
 */
export type ServerOption = JupyterServer | ServerHandle | ConnectOptions;

/** Starts a server with these options now; its start overlaps whatever the caller does next. */
export function openServer(opts: ConnectOptions = {}): ServerHandle {
  const ac = new AbortController();
  const log: string[] = [];
  const prelaunch = new KernelPrelaunch();
  const server = connectJupyter({
    ...opts,
    signal: ac.signal,
    prelaunch,
    log: (line) => {
      log.push(line);
      if (log.length > 2000) log.shift();
      opts.log?.(line);
    },
  });
  server.catch(() => undefined); // awaited by whoever uses it
  let stopping: Promise<void> | undefined;
  return {
    server,
    log,
    prelaunch: (kernelName, cwd) => prelaunch.request(kernelName, cwd),
    stop: () =>
      (stopping ??= (async () => {
        ac.abort();
        await server.then(
          (s) => s.stop(),
          () => undefined,
        );
      })()),
  };
}

/** The handle for a run's `server` option, and whether the run owns it (and so stops it). */
export function resolveServer(option: ServerOption | undefined): { handle: ServerHandle; owned: boolean } {
  if (option && 'server' in option && typeof (option as ServerHandle).stop === 'function') {
    return { handle: option as ServerHandle, owned: false };
  }
  if (option && 'baseUrl' in option) {
    const server = option as JupyterServer;
    return { handle: { server: Promise.resolve(server), log: [], prelaunch: () => {}, stop: async () => {} }, owned: false };
  }
  return { handle: openServer(option as ConnectOptions | undefined), owned: true };
}

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
  /**
   * How the run's kernels start on a server flow started: `fork: false` launches each anew,
   * `preload` names modules its fork server imports first. Call it before the first prelaunch.
   */
  configure?(settings: { fork?: boolean; preload?: readonly string[] }): void;
  /**
   * What the server says the run should hear of (a preload that failed, forking turned off):
   * each `[flow notice]` line of its log, those said already first. Returns an unsubscribe.
   */
  onNotice?(listener: (message: string) => void): () => void;
  /** Kills a server that is still starting (nothing will use it), else stops it. Idempotent. */
  stop(): Promise<void>;
  /**
   * An embedded server flow started, whose process has exited (killed, or out of memory): starts
   * a new one, which `server` is from then on. Concurrent calls share one start. Absent for a
   * server flow did not start.
   */
  restart?(): Promise<JupyterServer>;
}

/**
 * Where a run gets its server: a running `JupyterServer` (the caller stops it), a `ServerHandle`
 * (likewise), or how to connect to one (`ConnectOptions`: an embedded server is started for the
 * run and stopped when it ends, or `serverUrl` names an existing one).
 */
export type ServerOption = JupyterServer | ServerHandle | ConnectOptions;

/** How a line of the server's log starts that flow shows as a warning (python/flow_jupyter/forking.py). */
const NOTICE = '[flow notice] ';

/** Starts a server with these options now; its start overlaps whatever the caller does next. */
export function openServer(opts: ConnectOptions = {}): ServerHandle {
  const ac = new AbortController();
  const log: string[] = [];
  const prelaunch = new KernelPrelaunch();
  const notices: string[] = [];
  const listeners = new Set<(message: string) => void>();
  const connect = (first: boolean) => {
    const started = connectJupyter({
      ...opts,
      signal: ac.signal,
      // The bootstrap's kernels started ahead are for the run's first nodes: not on a restart.
      ...(first && { prelaunch }),
      log: (line) => {
        log.push(line);
        if (log.length > 2000) log.shift();
        if (line.startsWith(NOTICE)) {
          const message = line.slice(NOTICE.length);
          notices.push(message);
          for (const l of listeners) l(message);
        }
        opts.log?.(line);
      },
    });
    started.catch(() => undefined); // awaited by whoever uses it
    return started;
  };
  let server = connect(true);
  /** Every server started, to stop them all. */
  const all = [server];
  let restarting: Promise<JupyterServer> | undefined;
  let stopping: Promise<void> | undefined;
  const restart = () =>
    (restarting ??= (async () => {
      const old = await server;
      if (stopping) throw new Error('the run is ending');
      // The old server's kernels outlive it (SIGKILL): its stop ends them.
      await old.stop();
      log.push('flow: the Jupyter server had stopped; starting a new one');
      opts.log?.(log[log.length - 1]!);
      server = connect(false);
      all.push(server);
      return server;
    })().finally(() => {
      restarting = undefined;
    }));
  return {
    get server() {
      return server;
    },
    log,
    prelaunch: (kernelName, cwd) => prelaunch.request(kernelName, cwd),
    configure: (settings) => prelaunch.configure(settings),
    onNotice: (listener) => {
      for (const message of notices) listener(message);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () =>
      (stopping ??= (async () => {
        ac.abort();
        await Promise.all(
          all.map((s) =>
            s.then(
              (x) => x.stop(),
              () => undefined,
            ),
          ),
        );
      })()),
    ...(!opts.serverUrl && { restart }),
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

// A run's Jupyter servers: its own (embedded, by default) and those of the workflow's `servers:`.
// Each node's kernel starts on the server it is pinned to, else on the least-loaded one with room,
// in the folder that server has for it; a server that cannot be reached is marked down, and its
// nodes' kernels start elsewhere.
import { userInfo } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { connectJupyter } from '../kernel/connect.js';
import type { JupyterServer } from '../kernel/jupyter-server.js';
import { restRequest } from '../kernel/kernel-rest.js';
import type { KernelSession } from '../kernel/kernel-session.js';
import { KernelPool } from '../kernel/kernel-pool.js';
import { DEFAULT_MAX_KERNELS } from '../workflow/build-servers.js';
import type { ServerSpec } from '../workflow/types.js';
import { poolWarmUp } from './warm-up.js';
import { settleWithin } from '../settle-within.js';

export interface PoolMember {
  name: string;
  server: JupyterServer | undefined;
  maxKernels: number;
  rootDir?: string;
  kernels: KernelPool | undefined;
  inUse: number;
  /** Why it is not used any more. */
  down?: string;
  /** Whether flow started it (and so may start kernels in any folder of this machine). */
  local: boolean;
  /** The run's own server (no url): started again when it stops, if the run can (restartOwn). */
  own?: boolean;
  /** A new server being started in place of one that stopped: acquire waits for it. */
  replacing?: Promise<void>;
}

/** A kernel could not be had because its server stopped: the node fails as `server_lost`. */
export class ServerLostError extends Error {
  readonly errorClass = 'server_lost';
}

/** The name the run's own server has in a pool that does not name it. */
export const OWN_SERVER = 'local';

export interface ServerPoolOptions {
  startTimeoutMs?: number;
  warn?: (message: string, node?: string) => void;
  /** Where each node's kernel went (a pool of more than one server). */
  info?: (message: string, node?: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Starts the run's own server again after it stopped (an embedded server: ServerHandle.restart). */
  restartOwn?: () => Promise<JupyterServer>;
}

export class ServerPool {
  private waiting: (() => void)[] = [];

  private constructor(
    readonly members: PoolMember[],
    private readonly opts: ServerPoolOptions,
    /** No `servers:`: the run's own server alone, as before pools. */
    readonly single: boolean,
  ) {}

  /**
   * The pool of `specs` (a spec without a url is `own`, the run's server); with no specs, `own`
   * alone, as before pools. A server that cannot be reached is down from the start, with a warning.
   */
  static async open(
    ownServer: JupyterServer | Promise<JupyterServer>,
    specs: readonly ServerSpec[],
    opts: ServerPoolOptions = {},
  ): Promise<ServerPool> {
    const env = opts.env ?? process.env;
    const list =
      specs.length > 0
        ? specs
        : [{ name: OWN_SERVER, maxKernels: Number.POSITIVE_INFINITY, pos: { file: '', line: 0, col: 0 } } as ServerSpec];
    const members = await Promise.all(
      list.map(async (s): Promise<PoolMember> => {
        const base = { name: s.name, maxKernels: s.maxKernels ?? DEFAULT_MAX_KERNELS, ...(s.rootDir && { rootDir: s.rootDir }), inUse: 0 };
        if (!s.url) {
          // Awaited only here: a pool of other servers alone opens (and starts its first kernels)
          // while the run's own server is still starting.
          const own = await ownServer;
          return { ...base, server: own, kernels: kernelPool(own, opts), local: own.embedded, own: true };
        }
        try {
          const token = s.tokenEnv ? env[s.tokenEnv] : undefined;
          if (s.tokenEnv && token === undefined) throw new Error(`$${s.tokenEnv}, which holds its token, is not set`);
          const server = await connectJupyter({ serverUrl: s.url, ...(token !== undefined && { token }), env });
          // Its kernels start in the folder kernelPath gives (relative to its root), or in its root.
          // A gateway is also told the folder itself as KERNEL_WORKING_DIR (its container process
          // proxies use it, with EG_MIRROR_WORKING_DIRS) and who asks, as KERNEL_USERNAME.
          const kernels = kernelPool(
            server,
            opts,
            (path) => path || undefined,
            server.gateway
              ? (path) => ({ KERNEL_USERNAME: userInfo().username, ...(s.rootDir && { KERNEL_WORKING_DIR: join(s.rootDir, path) }) })
              : undefined,
          );
          return { ...base, server, kernels, local: false };
        } catch (err) {
          const down = `server ${s.name} (${s.url}) cannot be used: ${(err as Error).message}`;
          opts.warn?.(down);
          return { ...base, server: undefined, kernels: undefined, local: false, down };
        }
      }),
    );
    return new ServerPool(members, opts, specs.length === 0);
  }

  /** The folder a member starts a node's kernel in (its `path`), or an error saying why it has none. */
  kernelPath(m: PoolMember, cwd: string): { path?: string } | { error: string } {
    if (m.local) return { path: relative('/', cwd) };
    if (!m.rootDir) return {};
    const path = relative(m.rootDir, cwd);
    if (path.startsWith('..') || isAbsolute(path)) {
      return { error: `server ${m.name} cannot start a kernel in ${cwd}: the folder is not under its root_dir ${m.rootDir}` };
    }
    return { path };
  }

  /**
   * A kernel for `node` on `pinned`, else on the least-loaded server with room (waiting for room);
   * with the member it runs on, to release it to. A server that fails to start it is marked down
   * and the next one is tried; with every server down (or the pinned one) it throws.
   */
  async acquire(
    kernelName: string,
    cwd: string,
    node: string,
    pinned?: string,
  ): Promise<{ session: KernelSession; member: PoolMember; server: JupyterServer }> {
    for (;;) {
      const m = this.choose(pinned, node);
      if (m === 'wait') {
        await new Promise<void>((r) => this.waiting.push(r));
        continue;
      }
      if (m.replacing) {
        await m.replacing;
        continue;
      }
      const server = m.server!;
      const where = this.kernelPath(m, cwd);
      if ('error' in where) throw new Error(where.error);
      m.inUse++;
      try {
        const session = m.local
          ? await m.kernels!.acquire(kernelName, cwd, node)
          : await m.kernels!.acquire(kernelName, where.path ?? '', node);
        if (!this.single)
          this.opts.info?.(
            `on server ${m.name}${where.path !== undefined ? `, folder ${m.rootDir ?? '/'}${where.path ? `/${where.path}` : ''}` : ''}`,
            node,
          );
        return { session, member: m, server };
      } catch (err) {
        this.free(m);
        if (!(await this.lost(m, server))) throw err;
        if (this.serverLost(m, server, `its kernel for ${node} could not start: ${(err as Error).message}`)) {
          throw new ServerLostError(`server ${m.name} stopped before the kernel started: ${(err as Error).message}`);
        }
        if (this.single) throw err;
      }
    }
  }

  private choose(pinned: string | undefined, node?: string): PoolMember | 'wait' {
    const candidates = pinned ? this.members.filter((m) => m.name === pinned) : this.members;
    const up = candidates.filter((m) => !m.down);
    if (up.length === 0) {
      const why = candidates.map((m) => m.down).join('; ');
      throw new Error(pinned ? `the server this node is pinned to is down: ${why}` : `every server of the pool is down: ${why}`);
    }
    const room = up.filter((m) => m.inUse < m.maxKernels);
    if (room.length === 0) return 'wait';
    // The server a kernel was started ahead on for this node, when it has room.
    const warm = node === undefined ? undefined : room.find((m) => m.kernels?.hasWarmFor(node));
    if (warm) return warm;
    return room.reduce((best, m) => (m.inUse / m.maxKernels < best.inUse / best.maxKernels ? m : best));
  }

  /**
   * Whether `server`, which a member used, has stopped (after a kernel died on it, or would not
   * start): an embedded server's process has exited, another no longer answers. A server already
   * replaced was lost.
   */
  async lost(m: PoolMember, server: JupyterServer): Promise<boolean> {
    if (m.down || server !== m.server) return true;
    // Its process is gone by the time its sockets close (SIGKILL), or is still there.
    if (server.exited) return settleWithin(server.exited, EXIT_WAIT_MS);
    try {
      const res = await restRequest(server, 'GET', '/api/kernelspecs', { timeoutMs: LOST_WAIT_MS });
      return res.status === 401 || res.status === 403 || res.status >= 500;
    } catch {
      return true;
    }
  }

  /**
   * `server` of member `m` has stopped: the run's own server is started again (acquire waits for
   * it), any other is marked down. Returns whether the member is (being) replaced.
   */
  serverLost(m: PoolMember, server: JupyterServer, why: string): boolean {
    if (server !== m.server) return !m.down; // replaced already
    if (m.replacing) return true;
    const restart = m.own ? this.opts.restartOwn : undefined;
    if (!restart || m.down) {
      this.markDown(m, `server ${m.name} is down: ${why}`);
      return false;
    }
    this.opts.warn?.(`the Jupyter server stopped (${why}); starting a new one`);
    const old = m.kernels;
    m.replacing = restart().then(
      (next) => {
        m.server = next;
        m.kernels = kernelPool(next, this.opts);
        m.local = next.embedded;
      },
      (err: unknown) => this.markDown(m, `server ${m.name} stopped and could not be started again: ${(err as Error).message}`),
    );
    void m.replacing.finally(() => {
      m.replacing = undefined;
      this.wake();
    });
    // Its kernels (started ahead, or being stopped) went with it.
    void old?.close().catch(() => undefined);
    return true;
  }

  markDown(m: PoolMember, why: string): void {
    if (m.down) return;
    m.down = why;
    this.opts.warn?.(why);
    this.wake();
  }

  /** A node's kernel is done with: it is shut down in the background, and its room is free. */
  release(m: PoolMember, session: KernelSession): void {
    const stopped = m.kernels?.release(session);
    // The run's own server frees the room at once (a chain's next node need not wait the ≈0.3 s a
    // stop takes); another server only once the kernel is gone, so that it never runs more than
    // max_kernels of the run's kernels.
    if (m.local || !stopped) this.free(m);
    else
      void stopped.then(
        () => this.free(m),
        () => this.free(m),
      );
  }

  private free(m: PoolMember): void {
    m.inUse = Math.max(0, m.inUse - 1);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }

  /**
   * Starts the kernel of a node expected soon, on the server it would go to now (its pinned one,
   * else the least-loaded with room); acquire then prefers that server for it.
   */
  prewarm(kernelName: string, cwd: string, node: string, pinned?: string): void {
    let m: PoolMember | 'wait';
    try {
      m = this.choose(pinned);
    } catch {
      return; // every server down: acquire says so
    }
    if (m === 'wait') return;
    const where = this.kernelPath(m, cwd);
    // A kernel started ahead must not take a server past its max_kernels.
    if ('error' in where || m.inUse + m.kernels!.warmCount >= m.maxKernels) return;
    m.kernels!.prewarm(kernelName, m.local ? cwd : (where.path ?? ''), node);
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.kernels?.close({ leaveToServer: m.local && (m.server?.embedded ?? false) })));
  }
}

/** How long a check whether a server stopped may take. */
const LOST_WAIT_MS = 2000;
/** How long after a kernel's socket closed an embedded server's exit is waited for. */
const EXIT_WAIT_MS = 300;

function kernelPool(
  server: JupyterServer,
  opts: ServerPoolOptions,
  pathFor?: (cwd: string) => string | undefined,
  envFor?: (cwd: string) => Record<string, string> | undefined,
): KernelPool {
  return new KernelPool({
    endpoint: server,
    embedded: server.embedded,
    startTimeoutMs: opts.startTimeoutMs,
    ...(pathFor && { pathFor }),
    ...(envFor && { envFor }),
    ...poolWarmUp,
  });
}

// Hands out fresh kernels, starting some ahead of time (pre-warming) so a node need not wait.
import { freemem } from 'node:os';
import { KernelSession } from './kernel-session.js';
import type { ServerEndpoint } from './kernel-rest.js';
import { kernelPathFor } from './execute-notebook.js';

export interface KernelPoolOptions {
  endpoint: ServerEndpoint;
  /** Local server: kernels can be started in any folder. Remote: in the server's root. */
  embedded: boolean;
  /**
   * The `path` a kernel is started with, for the folder asked for. @default the folder relative to
   * `/` on an embedded server, none (the server's root) on another
   */
  pathFor?: (cwd: string) => string | undefined;
  /** Variables sent with each kernel start (an Enterprise Gateway's KERNEL_WORKING_DIR). */
  envFor?: (cwd: string) => Record<string, string> | undefined;
  startTimeoutMs?: number;
  // How much to pre-warm is decided in run/warm-up.ts; the pool only carries it out.
  /** At most this many kernels started ahead and not yet handed out. @default 0 (no pre-warming) */
  maxWarm?: number;
  /** No pre-warming while the machine has less free memory than this. @default 0 */
  minFreeMemory?: number;
  /** A pre-warmed kernel unclaimed for this long may be shut down to make room. @default 30000 */
  staleMs?: number;
  /** Free memory, injectable for tests. @default os.freemem */
  freeMemory?: () => number;
}

interface Warm {
  key: string;
  /** The node it was started for; a kernel is claimed by that node first. */
  node: string | undefined;
  since: number;
  kernel: Promise<KernelSession>;
}

/**
 * Every notebook still gets a kernel of its own (fresh state); pre-warming only moves the
 * ≈0.6-0.8 s start earlier, overlapping it with the previous node's execution. Kernels are
 * reserved for the node they were started for: otherwise the node that is starting now takes
 * the kernel meant for the next one, and nothing is gained (measured: no overlap at all).
 */
export class KernelPool {
  private warm: Warm[] = [];
  private stopping = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: KernelPoolOptions) {}

  private start(kernelName: string, cwd: string): Promise<KernelSession> {
    return KernelSession.start({
      endpoint: this.opts.endpoint,
      kernelName,
      path: this.opts.pathFor ? this.opts.pathFor(cwd) : this.opts.embedded ? kernelPathFor(cwd) : undefined,
      env: this.opts.envFor?.(cwd),
      startTimeoutMs: this.opts.startTimeoutMs,
    });
  }

  /** Kernels started ahead and not handed out yet. */
  get warmCount(): number {
    return this.warm.length;
  }

  /** Whether a kernel was started ahead for `node`. */
  hasWarmFor(node: string): boolean {
    return this.warm.some((w) => w.node === node);
  }

  /**
   * Starts a kernel for a node expected to start soon. Bounded by maxWarm (making room by
   * shutting down a stale unclaimed kernel, e.g. one of a branch not taken) and by free memory.
   * @returns whether a kernel was started.
   */
  prewarm(kernelName: string, cwd: string, node?: string): boolean {
    if (this.closed) return false;
    const key = `${kernelName}\0${cwd}`;
    if (node !== undefined && this.warm.some((w) => w.node === node)) return false;
    if (this.warm.length >= (this.opts.maxWarm ?? 0)) {
      const staleBefore = Date.now() - (this.opts.staleMs ?? 30_000);
      const i = this.warm.findIndex((w) => w.since < staleBefore);
      if (i < 0) return false;
      const [stale] = this.warm.splice(i, 1);
      this.retire(stale!.kernel);
    }
    if ((this.opts.freeMemory ?? freemem)() < (this.opts.minFreeMemory ?? 0)) return false;
    const kernel = this.start(kernelName, cwd);
    kernel.catch(() => undefined); // a failed pre-warm is retried by acquire()
    this.warm.push({ key, node, since: Date.now(), kernel });
    return true;
  }

  /**
   * A kernel for `node`: the one pre-warmed for it, else an unreserved pre-warmed one, else a
   * fresh start. Kernels reserved for other nodes are left to them.
   */
  async acquire(kernelName: string, cwd: string, node?: string): Promise<KernelSession> {
    const key = `${kernelName}\0${cwd}`;
    let i = node === undefined ? -1 : this.warm.findIndex((w) => w.key === key && w.node === node);
    if (i < 0) i = this.warm.findIndex((w) => w.key === key && w.node === undefined);
    if (i >= 0) {
      const [w] = this.warm.splice(i, 1);
      try {
        const k = await w!.kernel;
        if (!k.dead) return k;
        this.retire(Promise.resolve(k));
      } catch {
        // fall through to a fresh start, which reports its own error
      }
    }
    return this.start(kernelName, cwd);
  }

  /**
   * Shuts a kernel down in the background: the next node need not wait the ≈0.3 s the server
   * takes to stop a kernel (measured). close() waits for these.
   */
  release(kernel: KernelSession, stop: () => Promise<void> = () => kernel.shutdown()): Promise<void> {
    return this.track(stop());
  }

  private retire(kernel: Promise<KernelSession>): void {
    this.track(
      kernel.then(
        (k) => k.shutdown(),
        () => undefined,
      ),
    );
  }

  private track(p: Promise<void>): Promise<void> {
    const tracked = p.finally(() => this.stopping.delete(tracked));
    this.stopping.add(tracked);
    return tracked;
  }

  /**
   * Shuts down kernels that were pre-warmed but never used, and waits for released ones.
   * `leaveToServer`: the server is stopped next, and its stop (POST /api/shutdown) ends every
   * kernel and waits for them, so unused pre-warmed kernels are left to it: only their starts
   * are waited for, so that none is mid-start then. Stops already under way are waited for in
   * any case: one that ends while the server is stopping every kernel makes that stop fail
   * (the kernel it listed is gone: HTTP 404).
   */
  async close(opts: { leaveToServer?: boolean } = {}): Promise<void> {
    this.closed = true;
    const warm = this.warm.splice(0);
    if (opts.leaveToServer) await Promise.allSettled(warm.map((w) => w.kernel));
    else for (const w of warm) this.retire(w.kernel);
    while (this.stopping.size > 0) await Promise.all([...this.stopping]);
  }
}

// Hands out fresh kernels, starting some ahead of time (pre-warming) so a node need not wait.
import { KernelSession } from './kernel-session.js';
import type { ServerEndpoint } from './jupyter-server.js';
import { kernelPathFor } from './execute-notebook.js';

export interface KernelPoolOptions {
  endpoint: ServerEndpoint;
  /** Local server: kernels can be started in any folder. Remote: in the server's root. */
  embedded: boolean;
  startTimeoutMs?: number;
  /** At most this many kernels started ahead and not yet handed out. @default 2 */
  maxWarm?: number;
}

interface Warm {
  key: string;
  kernel: Promise<KernelSession>;
}

/**
 * Every notebook still gets a kernel of its own (fresh state); pre-warming only moves the
 * ≈0.8 s start earlier, overlapping it with the previous node's execution.
 */
export class KernelPool {
  private warm: Warm[] = [];
  private closed = false;

  constructor(private readonly opts: KernelPoolOptions) {}

  private start(kernelName: string, cwd: string): Promise<KernelSession> {
    return KernelSession.start({
      endpoint: this.opts.endpoint,
      kernelName,
      path: this.opts.embedded ? kernelPathFor(cwd) : undefined,
      startTimeoutMs: this.opts.startTimeoutMs,
    });
  }

  /** Starts a kernel for a node expected to start soon; bounded by maxWarm. */
  prewarm(kernelName: string, cwd: string): void {
    if (this.closed || this.warm.length >= (this.opts.maxWarm ?? 2)) return;
    const key = `${kernelName}\0${cwd}`;
    const kernel = this.start(kernelName, cwd);
    kernel.catch(() => undefined); // a failed pre-warm is retried by acquire()
    this.warm.push({ key, kernel });
  }

  async acquire(kernelName: string, cwd: string): Promise<KernelSession> {
    const key = `${kernelName}\0${cwd}`;
    const i = this.warm.findIndex((w) => w.key === key);
    if (i >= 0) {
      const [w] = this.warm.splice(i, 1);
      try {
        const k = await w!.kernel;
        if (!k.dead) return k;
        await k.shutdown();
      } catch {
        // fall through to a fresh start, which reports its own error
      }
    }
    return this.start(kernelName, cwd);
  }

  /** Shuts down kernels that were pre-warmed but never used. */
  async close(): Promise<void> {
    this.closed = true;
    const warm = this.warm.splice(0);
    await Promise.all(warm.map((w) => w.kernel.then((k) => k.shutdown(), () => undefined)));
  }
}

// One kernel on a Jupyter server: start it, run code with timeouts, interrupt, shut down.
import { KernelError } from '../errors.js';
import type { ServerEndpoint } from './kernel-rest.js';
import {
  deleteKernel,
  HttpStatusError,
  interruptKernel,
  type KernelModel,
  listKernelspecs,
  postKernel,
  type RestResponse,
} from './kernel-rest.js';
import { type KernelMessage, KernelSocket } from './kernel-socket.js';
import { formatDuration } from '../workflow/duration.js';
import { settleWithin } from '../settle-within.js';

export { listKernelspecs } from './kernel-rest.js';

/** Timestamps nbclient records per cell in `metadata.execution`. */
export type ExecutionTiming = Partial<
  Record<'iopub.status.busy' | 'iopub.execute_input' | 'shell.execute_reply' | 'iopub.status.idle', string>
>;

export type ExecuteOutcome = (
  | { status: 'ok'; executionCount: number | null; timing: ExecutionTiming }
  | {
      status: 'error';
      executionCount: number | null;
      ename: string;
      evalue: string;
      traceback: string[];
      timing: ExecutionTiming;
    }
  | { status: 'timeout'; executionCount: number | null; timing: ExecutionTiming }
  | { status: 'died'; message: string; timing: ExecutionTiming }
  | { status: 'cancelled'; executionCount: number | null; timing: ExecutionTiming }
) & {
  /**
   * The reply came but the kernel's `idle` never did, and its output went quiet (ZeroMQ drops
   * IOPub messages when a subscriber falls behind): the end of the cell's output may be missing.
   */
  outputsIncomplete?: boolean;
};

/**
 * After the reply, how long the output may stay quiet before the `idle` that ends it is given up
 * on. Each message restarts it: a cell still printing is never cut short.
 */
const IOPUB_QUIET_MS = 4000;

export interface ExecuteOptions {
  /** Interrupt and give up after this long. */
  timeoutMs?: number;
  /** Every iopub message but status, in order. */
  onIOPub?: (msgType: string, content: Record<string, unknown>) => void;
  /** Abort: interrupt the kernel and resolve `cancelled`. */
  signal?: AbortSignal;
  /** Silent requests do not bump the execution count (probes, env set-up). */
  silent?: boolean;
}

export interface StartKernelOptions {
  endpoint: ServerEndpoint;
  /** Kernelspec name. @default 'python3' */
  kernelName?: string;
  /** Kernel's working directory, relative to the server's root_dir. */
  path?: string;
  /** `KERNEL_*` variables for an Enterprise Gateway (KERNEL_WORKING_DIR: the kernel's folder). */
  env?: Record<string, string>;
  /** @default 60000 */
  startTimeoutMs?: number;
}

/** What ended an execute request first. */
type Race = { kind: 'reply'; reply: KernelMessage } | { kind: 'timeout' } | { kind: 'died'; why: string } | { kind: 'abort' };

/** A request in flight: `done` once its reply (and, if asked, its iopub `idle`) came. */
interface Pending {
  done: Promise<KernelMessage>;
  /** Stops listening for it (done may then never settle). */
  stop(): void;
  /** Done without its `idle` (see ExecuteOutcome.outputsIncomplete). */
  incomplete: boolean;
}

interface RequestOptions {
  /** Every iopub message the request caused, status included. */
  onIOPub?: (msg: KernelMessage) => void;
  /**
   * Wait for the iopub `idle` as well as the reply: outputs come on iopub, and may arrive
   * after the reply. @default true
   */
  waitIdle?: boolean;
}

/** Kernel states after which its state is lost: the server sends these when the kernel dies or restarts. */
const DEATH_STATES = new Set(['dead', 'restarting', 'autorestarting']);

/** How long shutdown() waits for the server to stop the kernel. */
const SHUTDOWN_WAIT_MS = 5000;

/** The pause before asking again to shut down a kernel the server could not shut down. */
const DELETE_RETRY_MS = 100;

/** How long an interrupted request may take to finish (its last outputs, its reply). */
const INTERRUPT_SETTLE_MS = 3000;

/**
 * A kernel started on a Jupyter server and talked to over its websocket. Nothing of it is
 * process-wide: no global listeners, no console output; after shutdown() no socket or timer is left.
 */
export class KernelSession {
  private readonly deathListeners = new Set<(why: string) => void>();
  private deadReason: string | undefined;
  private stopping: Promise<void> | undefined;
  private state = 'starting';
  languageInfo: { name: string; [k: string]: unknown } = { name: 'python' };

  private constructor(
    private readonly endpoint: ServerEndpoint,
    /** The kernel's id on the server. */
    readonly id: string,
    readonly kernelName: string,
    private readonly socket: KernelSocket,
  ) {
    socket.onMessage((msg) => this.watchStatus(msg));
    socket.onClose((why) => this.markDead(`lost the connection to the kernel (${why})`));
  }

  /** Why the kernel is unusable, or undefined while it lives. */
  get dead(): string | undefined {
    return this.deadReason;
  }

  /** The kernel's last `execution_state` on iopub: `starting`, `idle`, `busy`, `dead`, … */
  get executionState(): string {
    return this.state;
  }

  private watchStatus(msg: KernelMessage): void {
    if (msg.channel !== 'iopub' || msg.header.msg_type !== 'status') return;
    this.state = String(msg.content.execution_state);
    if (DEATH_STATES.has(this.state)) this.markDead(`the kernel died (status: ${this.state})`);
  }

  private markDead(why: string): void {
    if (this.deadReason || this.stopping) return;
    this.deadReason = why;
    for (const f of [...this.deathListeners]) f(why);
  }

  /** Calls `f` once if the kernel dies; returns the unsubscribe. */
  private onDeath(f: (why: string) => void): () => void {
    this.deathListeners.add(f);
    return () => this.deathListeners.delete(f);
  }

  /**
   * Starts a kernel and connects to it; resolves once it answered kernel_info (languageInfo set).
   * @throws KernelError when the server refuses, the kernel dies, or it is not up within startTimeoutMs.
   */
  static async start(opts: StartKernelOptions): Promise<KernelSession> {
    const name = opts.kernelName ?? 'python3';
    const timeoutMs = opts.startTimeoutMs ?? 60_000;
    const model = await createKernel(opts.endpoint, name, opts.path, opts.env);
    // A kernel started by REST stays `starting` until a websocket connects.
    const session = new KernelSession(opts.endpoint, model.id, name, new KernelSocket(opts.endpoint, model.id));
    try {
      await session.untilDeadOr(session.handshake(), timeoutMs, name);
    } catch (err) {
      await session.shutdown();
      if (err instanceof KernelError) throw err;
      throw new KernelError(`kernel "${name}" failed to start: ${(err as Error).message}`);
    }
    return session;
  }

  /** Waits for the socket, then asks for kernel_info: its language_info goes in the notebook. */
  private async handshake(): Promise<void> {
    await this.socket.opened;
    // Only the reply: iopub may not be subscribed yet when the kernel answers this first request.
    const info = this.request('shell', 'kernel_info_request', {}, { waitIdle: false });
    const reply = await info.done;
    const languageInfo = reply.content.language_info as { name?: unknown } | undefined;
    if (typeof languageInfo?.name === 'string') this.languageInfo = languageInfo as { name: string };
  }

  /** `work`, unless the kernel dies or `timeoutMs` passes first (then a KernelError). */
  private async untilDeadOr<T>(work: Promise<T>, timeoutMs: number, name: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    try {
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new KernelError(
                  `kernel "${name}" did not start within ${formatDuration(timeoutMs)}`,
                  'raise --start-timeout, or check the kernel with `jupyter kernelspec list`',
                ),
              ),
            timeoutMs,
          );
        }),
        new Promise<never>((_, reject) => {
          unsubscribe = this.onDeath((why) => reject(new KernelError(`kernel "${name}" failed to start: ${why}`)));
        }),
      ]);
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  }

  /**
   * Sends a request and follows the messages whose parent it is. The caller calls stop() when
   * it gives up on it; it stops by itself once done.
   */
  private request(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>, opts: RequestOptions = {}): Pending {
    let id = '';
    let reply: KernelMessage | undefined;
    let idle = !(opts.waitIdle ?? true);
    let finish: (msg: KernelMessage) => void = () => {};
    const done = new Promise<KernelMessage>((resolve) => {
      finish = resolve;
    });
    let quiet: NodeJS.Timeout | undefined;
    const pending: Pending = { done, stop: () => {}, incomplete: false };
    const unsubscribe = this.socket.onMessage((msg) => {
      if (msg.parent_header?.msg_id !== id) return;
      if (msg.channel === 'iopub') {
        opts.onIOPub?.(msg);
        if (msg.header.msg_type === 'status' && msg.content.execution_state === 'idle') idle = true;
      } else if (msg.channel === channel) {
        reply = msg;
      }
      if (reply && idle) {
        stop();
        finish(reply);
      } else if (reply) {
        // Its idle may have been dropped: flow must never wait forever on a kernel.
        clearTimeout(quiet);
        quiet = setTimeout(() => {
          pending.incomplete = true;
          stop();
          finish(reply!);
        }, IOPUB_QUIET_MS);
      }
    });
    const stop = () => {
      clearTimeout(quiet);
      unsubscribe();
    };
    pending.stop = stop;
    try {
      id = this.socket.send(channel, msgType, content);
    } catch (err) {
      stop();
      throw err;
    }
    return pending;
  }

  /** Runs code; never throws for kernel-side trouble: the outcome says what happened. */
  async execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    const timing: ExecutionTiming = {};
    if (this.deadReason) return { status: 'died', message: this.deadReason, timing };
    let executionCount: number | null = null;
    const onIOPub = (msg: KernelMessage) => {
      const type = msg.header.msg_type;
      if (type === 'status') {
        const state = msg.content.execution_state;
        if (state === 'busy') timing['iopub.status.busy'] = now();
        else if (state === 'idle') timing['iopub.status.idle'] = now();
      } else if (type === 'execute_input') {
        timing['iopub.execute_input'] = now();
        executionCount = (msg.content.execution_count as number | undefined) ?? executionCount;
      } else {
        // update_display_data included: the cell that sent it is the one that records it.
        opts.onIOPub?.(type, msg.content);
      }
    };
    let pending: Pending;
    try {
      pending = this.request(
        'shell',
        'execute_request',
        {
          code,
          silent: opts.silent ?? false,
          store_history: !(opts.silent ?? false),
          user_expressions: {},
          allow_stdin: false,
          stop_on_error: true,
        },
        { onIOPub },
      );
    } catch (err) {
      // The socket closed between the death check and now.
      this.markDead(`lost the connection to the kernel (${(err as Error).message})`);
      return { status: 'died', message: this.deadReason ?? (err as Error).message, timing };
    }
    const replied = pending.done.then((reply) => {
      timing['shell.execute_reply'] = now();
      return reply;
    });
    const race = await this.raceExecution(replied, opts);
    try {
      const outcome = await this.settle(race, replied, executionCount, timing);
      return pending.incomplete ? { ...outcome, outputsIncomplete: true } : outcome;
    } finally {
      // After an interrupt's outputs, not before: they may carry updates too.
      pending.stop();
    }
  }

  /** The first of: the reply, the timeout, the kernel's death, the abort signal. */
  private raceExecution(done: Promise<KernelMessage>, opts: ExecuteOptions): Promise<Race> {
    const cleanups: (() => void)[] = [];
    return new Promise<Race>((resolve) => {
      done.then((reply) => resolve({ kind: 'reply', reply }));
      if (opts.timeoutMs !== undefined) {
        const t = setTimeout(() => resolve({ kind: 'timeout' }), opts.timeoutMs);
        cleanups.push(() => clearTimeout(t));
      }
      cleanups.push(this.onDeath((why) => resolve({ kind: 'died', why })));
      const signal = opts.signal;
      if (signal) {
        const onAbort = () => resolve({ kind: 'abort' });
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
    }).finally(() => {
      for (const c of cleanups) c();
    });
  }

  private async settle(
    race: Race,
    done: Promise<KernelMessage>,
    executionCount: number | null,
    timing: ExecutionTiming,
  ): Promise<ExecuteOutcome> {
    switch (race.kind) {
      case 'reply':
        return replyOutcome(race.reply.content, executionCount, timing);
      case 'died':
        return { status: 'died', message: race.why, timing };
      case 'timeout':
      case 'abort': {
        await this.interruptAndSettle(done);
        return { status: race.kind === 'timeout' ? 'timeout' : 'cancelled', executionCount, timing };
      }
    }
  }

  /** Interrupts and waits briefly for the interrupted request to finish (its outputs included). */
  private async interruptAndSettle(done: Promise<unknown>): Promise<void> {
    if (this.deadReason) return;
    try {
      await this.interrupt();
    } catch {
      // The kernel may be gone already; shutdown handles that.
    }
    await settleWithin(done, INTERRUPT_SETTLE_MS);
  }

  /** Interrupts the kernel (the server sends SIGINT, or interrupt_request for message-mode kernels). */
  async interrupt(): Promise<void> {
    await interruptKernel(this.endpoint, this.id);
  }

  /**
   * Shuts the kernel down on the server and closes the websocket; safe to call twice, and on a
   * dead kernel. Resolves once no socket of this session is left open.
   */
  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    this.deadReason ??= 'the kernel was shut down';
    for (const f of [...this.deathListeners]) f(this.deadReason);
    // Already gone on the server (it died, or the server is stopping) is fine.
    await Promise.all([deleteUntilGone(this.endpoint, this.id, SHUTDOWN_WAIT_MS).catch(() => undefined), this.socket.close()]);
  }
}

/**
 * DELETE /api/kernels/{id}, retried while the server answers with an HTTP 5xx: it answers HTTP 500
 * to a kernel it is restarting after a death (measured: once, ≈0.1 s after the death), and the
 * kernel would be left running on it.
 * @throws the last error, once `waitMs` has passed.
 */
async function deleteUntilGone(endpoint: ServerEndpoint, id: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await deleteKernel(endpoint, id, Math.max(1, deadline - Date.now()));
    } catch (err) {
      // Not answering at all (the server is gone or stopping): asking again will not help.
      if (!(err instanceof HttpStatusError && err.status >= 500) || Date.now() + DELETE_RETRY_MS >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, DELETE_RETRY_MS));
    }
  }
}

/** POST /api/kernels, and what went wrong if the server did not start one. */
async function createKernel(
  endpoint: ServerEndpoint,
  name: string,
  path: string | undefined,
  env?: Record<string, string>,
): Promise<KernelModel> {
  let res: RestResponse;
  try {
    res = await postKernel(endpoint, name, path, env);
  } catch (err) {
    throw new KernelError(`could not reach the Jupyter server at ${endpoint.baseUrl} to start kernel "${name}": ${(err as Error).message}`);
  }
  if (res.status >= 300) throw await startError(res, name, endpoint);
  return JSON.parse(res.body) as KernelModel;
}

/** The outcome an execute_reply stands for. */
function replyOutcome(content: Record<string, unknown>, executionCount: number | null, timing: ExecutionTiming): ExecuteOutcome {
  const count = (content.execution_count as number | undefined) ?? executionCount;
  if (content.status === 'error') {
    return {
      status: 'error',
      executionCount: count,
      ename: String(content.ename),
      evalue: String(content.evalue),
      traceback: (content.traceback as string[] | undefined) ?? [],
      timing,
    };
  }
  if (content.status === 'aborted') {
    return { status: 'error', executionCount: count, ename: 'Aborted', evalue: 'the kernel aborted the request', traceback: [], timing };
  }
  return { status: 'ok', executionCount: count, timing };
}

async function startError(res: RestResponse, name: string, endpoint: ServerEndpoint): Promise<KernelError> {
  // Jupyter Server 2.x answers an unknown kernel name with a bare HTTP 500: ask for the list.
  const specs = await listKernelspecs(endpoint);
  if (res.status === 404 || /No such kernel/i.test(res.body) || (specs.length > 0 && !specs.includes(name))) {
    return new KernelError(
      `no kernel named "${name}" on the Jupyter server`,
      `available kernels: ${specs.join(', ') || 'none'}; install one (e.g. \`python -m ipykernel install --user\`) or pick one with -k/--kernel`,
    );
  }
  return new KernelError(`the Jupyter server refused to start kernel "${name}": HTTP ${res.status} ${res.body.slice(0, 300)}`);
}

function now(): string {
  return new Date().toISOString();
}

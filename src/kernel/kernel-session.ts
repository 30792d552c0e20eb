// One kernel on a Jupyter server: start it, run code with timeouts, interrupt, shut down.
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { KernelError } from '../errors.js';
import type { ServerEndpoint } from './jupyter-server.js';
import { loadServices, makeSettings } from './services.js';

/** Timestamps nbclient records per cell in `metadata.execution`. */
export type ExecutionTiming = Partial<
  Record<'iopub.status.busy' | 'iopub.execute_input' | 'shell.execute_reply' | 'iopub.status.idle', string>
>;

export type ExecuteOutcome =
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
  | { status: 'cancelled'; executionCount: number | null; timing: ExecutionTiming };

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
  /** @default 60000 */
  startTimeoutMs?: number;
}

/** What ended an execute request first. */
type Race =
  | { kind: 'reply'; msg: KernelMessage.IExecuteReplyMsg }
  | { kind: 'rejected'; err: unknown }
  | { kind: 'timeout' }
  | { kind: 'died'; why: string }
  | { kind: 'abort' };

const DEATH_STATES = new Set(['dead', 'restarting', 'autorestarting']);

export class KernelSession {
  private deathListeners = new Set<(why: string) => void>();
  private deadReason: string | undefined;
  languageInfo: { name: string; [k: string]: unknown } = { name: 'python' };

  private constructor(
    readonly connection: Kernel.IKernelConnection,
    readonly kernelName: string,
  ) {
    connection.statusChanged.connect((_, status) => {
      if (DEATH_STATES.has(status)) this.markDead(`the kernel died (status: ${status})`);
    });
    connection.connectionStatusChanged.connect((_, status) => {
      if (status === 'disconnected' && !connection.isDisposed) this.markDead('lost the connection to the kernel');
    });
  }

  get id(): string {
    return this.connection.id;
  }

  /** Why the kernel is unusable, or undefined while it lives. */
  get dead(): string | undefined {
    return this.deadReason;
  }

  private markDead(why: string): void {
    if (this.deadReason) return;
    this.deadReason = why;
    for (const f of this.deathListeners) f(why);
  }

  static async start(opts: StartKernelOptions): Promise<KernelSession> {
    const { KernelConnection } = await loadServices();
    const settings = await makeSettings(opts.endpoint);
    const name = opts.kernelName ?? 'python3';
    const timeoutMs = opts.startTimeoutMs ?? 60_000;
    const res = await fetch(`${opts.endpoint.baseUrl}/api/kernels`, {
      method: 'POST',
      headers: { Authorization: `token ${opts.endpoint.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, ...(opts.path !== undefined ? { path: opts.path } : {}) }),
    });
    if (!res.ok) throw await startError(res, name, opts.endpoint);
    const model = (await res.json()) as Kernel.IModel;
    // A kernel started by REST stays `starting` until a websocket connects.
    const connection = new KernelConnection({ model, serverSettings: settings, handleComms: false });
    const session = new KernelSession(connection, name);
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        waitConnected(connection).then(() => connection.requestKernelInfo()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new KernelError(
                  `kernel "${name}" did not start within ${formatSeconds(timeoutMs)}`,
                  'raise --start-timeout, or check the kernel with `jupyter kernelspec list`',
                ),
              ),
            timeoutMs,
          );
        }),
        new Promise<never>((_, reject) =>
          session.deathListeners.add((why) => reject(new KernelError(`kernel "${name}" failed to start: ${why}`))),
        ),
      ]);
      const content = reply?.content as KernelMessage.IInfoReply | undefined;
      if (content?.language_info) session.languageInfo = content.language_info as { name: string };
    } catch (err) {
      await session.shutdown();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return session;
  }

  /** Runs code; never throws for kernel-side trouble: the outcome says what happened. */
  async execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    const timing: ExecutionTiming = {};
    if (this.deadReason) return { status: 'died', message: this.deadReason, timing };
    const future = this.connection.requestExecute({
      code,
      silent: opts.silent ?? false,
      store_history: !(opts.silent ?? false),
      allow_stdin: false,
      stop_on_error: true,
    });
    let executionCount: number | null = null;
    future.onIOPub = (msg) => {
      const type = msg.header.msg_type;
      if (type === 'status') {
        const state = (msg.content as { execution_state: string }).execution_state;
        if (state === 'busy') timing['iopub.status.busy'] = now();
        else if (state === 'idle') timing['iopub.status.idle'] = now();
        return;
      }
      if (type === 'execute_input') {
        timing['iopub.execute_input'] = now();
        executionCount = (msg.content as { execution_count: number }).execution_count ?? executionCount;
        return;
      }
      // Taken from the connection below: the services library may not deliver it here.
      if (type === 'update_display_data') return;
      opts.onIOPub?.(type, msg.content as Record<string, unknown>);
    };
    // @jupyterlab/services routes update_display_data only to the futures that first showed that
    // display id (earlier cells' futures are gone) and never to the request that sent it, so an
    // update from a later cell would be lost. Every iopub message passes the connection's signal.
    const requestId = future.msg.header.msg_id;
    const onConnectionIOPub = (_: unknown, msg: KernelMessage.IIOPubMessage) => {
      if (
        msg.header.msg_type === 'update_display_data' &&
        msg.parent_header &&
        (msg.parent_header as { msg_id?: string }).msg_id === requestId
      ) {
        opts.onIOPub?.('update_display_data', msg.content as Record<string, unknown>);
      }
    };
    this.connection.iopubMessage.connect(onConnectionIOPub);

    const cleanups: (() => void)[] = [];
    const race = await new Promise<Race>((resolve) => {
      future.done.then(
        (msg) => resolve({ kind: 'reply', msg: msg as KernelMessage.IExecuteReplyMsg }),
        (err) => resolve({ kind: 'rejected', err }),
      );
      if (opts.timeoutMs !== undefined) {
        const t = setTimeout(() => resolve({ kind: 'timeout' }), opts.timeoutMs);
        cleanups.push(() => clearTimeout(t));
      }
      const onDeath = (why: string) => resolve({ kind: 'died', why });
      this.deathListeners.add(onDeath);
      cleanups.push(() => this.deathListeners.delete(onDeath));
      if (opts.signal) {
        const onAbort = () => resolve({ kind: 'abort' });
        if (opts.signal.aborted) onAbort();
        opts.signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => opts.signal!.removeEventListener('abort', onAbort));
      }
    });
    for (const c of cleanups) c();
    try {
      return await this.settle(race, future, executionCount, timing);
    } finally {
      // After an interrupt's outputs, not before: they may carry updates too.
      this.connection.iopubMessage.disconnect(onConnectionIOPub);
    }
  }

  private async settle(
    race: Race,
    future: { done: Promise<unknown> },
    executionCount: number | null,
    timing: ExecutionTiming,
  ): Promise<ExecuteOutcome> {
    switch (race.kind) {
      case 'reply': {
        timing['shell.execute_reply'] = now();
        const content = race.msg.content;
        executionCount = (content as { execution_count?: number }).execution_count ?? executionCount;
        if (content.status === 'error') {
          return { status: 'error', executionCount, ename: content.ename, evalue: content.evalue, traceback: content.traceback, timing };
        }
        if (content.status === 'aborted') {
          return { status: 'error', executionCount, ename: 'Aborted', evalue: 'the kernel aborted the request', traceback: [], timing };
        }
        return { status: 'ok', executionCount, timing };
      }
      case 'rejected':
        // "Canceled future for execute_request message before replies were done": the kernel restarted.
        this.markDead(`the kernel died while running (${String((race.err as Error)?.message ?? race.err)})`);
        return { status: 'died', message: this.deadReason!, timing };
      case 'died':
        return { status: 'died', message: race.why, timing };
      case 'timeout':
      case 'abort': {
        await this.interruptAndSettle(future);
        return { status: race.kind === 'timeout' ? 'timeout' : 'cancelled', executionCount, timing };
      }
    }
  }

  /** Interrupts and waits briefly for the interrupted request to finish (its outputs included). */
  private async interruptAndSettle(future: { done: Promise<unknown> }, waitMs = 3000): Promise<void> {
    if (this.deadReason) return;
    try {
      await this.connection.interrupt();
    } catch {
      // The kernel may be gone already; shutdown handles that.
    }
    await Promise.race([future.done.catch(() => undefined), sleep(waitMs)]);
  }

  async interrupt(): Promise<void> {
    await this.connection.interrupt();
  }

  /** Shuts the kernel down on the server; safe to call twice, and on a dead kernel. */
  async shutdown(): Promise<void> {
    if (this.connection.isDisposed) return;
    // Already gone on the server (died, or the server is stopping) is fine: swallow, and do
    // not leave the losing promise of the race unhandled.
    const done = this.connection.shutdown().catch(() => undefined);
    await Promise.race([done, sleep(5000)]);
    this.connection.dispose();
  }
}

async function startError(res: Response, name: string, endpoint: ServerEndpoint): Promise<KernelError> {
  const body = await res.text();
  // Jupyter Server 2.x answers an unknown kernel name with a bare HTTP 500: ask for the list.
  const specs = await listKernelspecs(endpoint);
  if (res.status === 404 || /No such kernel/i.test(body) || (specs.length > 0 && !specs.includes(name))) {
    return new KernelError(
      `no kernel named "${name}" on the Jupyter server`,
      `available kernels: ${specs.join(', ') || 'none'}; install one (e.g. \`python -m ipykernel install --user\`) or pick one with -k/--kernel`,
    );
  }
  return new KernelError(`the Jupyter server refused to start kernel "${name}": HTTP ${res.status} ${body.slice(0, 300)}`);
}

export async function listKernelspecs(endpoint: ServerEndpoint): Promise<string[]> {
  try {
    const res = await fetch(`${endpoint.baseUrl}/api/kernelspecs`, { headers: { Authorization: `token ${endpoint.token}` } });
    const body = (await res.json()) as { kernelspecs: Record<string, unknown> };
    return Object.keys(body.kernelspecs ?? {}).sort();
  } catch {
    return [];
  }
}

/** requestKernelInfo throws "status is not connected" if sent before the websocket opens. */
function waitConnected(connection: Kernel.IKernelConnection): Promise<void> {
  if (connection.connectionStatus === 'connected') return Promise.resolve();
  return new Promise((resolve) => {
    const onChange = (_: unknown, status: Kernel.ConnectionStatus) => {
      if (status !== 'connected') return;
      connection.connectionStatusChanged.disconnect(onChange);
      resolve();
    };
    connection.connectionStatusChanged.connect(onChange);
  });
}

/** `60s`, `1.5s`, `0.05s`: the timeout as given, not rounded to zero. */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function now(): string {
  return new Date().toISOString();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

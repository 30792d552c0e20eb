// The real Executor: runs a node's notebook on a fresh kernel of the run's Jupyter server.
import { dirname } from 'node:path';
import type { AttemptRequest, AttemptResult, Executor } from '../engine/executor.js';
import { hasNotebook, type NotebookNodeSpec } from '../workflow/decision-nodes.js';
import { executeNotebook } from '../kernel/execute-notebook.js';
import type { JupyterServer } from '../kernel/jupyter-server.js';
import { nodeKernelCwd, nodeKernelName } from '../kernel/node-kernel.js';
import { expectedParams } from '../workflow/expected-params.js';
import type { ServerSpec } from '../workflow/types.js';
import { holdsSecret, type Secrets } from '../workflow/secrets.js';
import { type PoolMember, ServerPool } from './server-pool.js';
import { WARM_CANDIDATES } from './warm-up.js';

export interface KernelExecutorOptions {
  /** The run's own server (or its start). */
  server: JupyterServer | Promise<JupyterServer>;
  /** The workflow's `servers:`: a pool of which `server` is the one without a url. */
  servers?: readonly ServerSpec[];
  /** Where the pool's token_env variables are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default 60000 */
  startTimeoutMs?: number;
  warn?: (message: string, node?: string) => void;
  info?: (message: string, node?: string) => void;
  /** The run's secrets: params holding their stand-ins are set in the kernel as secrets. */
  secrets?: Secrets;
  /** Starts the run's own server again when it stops mid-run (see ServerHandle.restart). */
  restartServer?: () => Promise<JupyterServer>;
}

export function createKernelExecutor(opts: KernelExecutorOptions): Executor {
  const pool = ServerPool.open(opts.server, opts.servers ?? [], {
    startTimeoutMs: opts.startTimeoutMs,
    warn: opts.warn,
    info: opts.info,
    env: opts.env,
    restartOwn: opts.restartServer,
  });
  /** Nodes that asked for a kernel already: a late pre-warm for them would go unused. */
  const started = new Set<string>();
  const kernelNames = new Map<string, Promise<string>>();

  const kernelNameOf = (node: NotebookNodeSpec): Promise<string> => {
    if (node.kernel) return Promise.resolve(node.kernel);
    let name = kernelNames.get(node.notebook);
    if (!name) kernelNames.set(node.notebook, (name = nodeKernelName(node)));
    return name;
  };

  return {
    async execute(req: AttemptRequest): Promise<AttemptResult> {
      const node = req.node;
      // The engine decides a decision node itself (engine/run-node.ts): it never reaches a kernel.
      if (!hasNotebook(node)) throw new Error(`node "${node.id}" is a decision node: it has no notebook to execute`);
      // A fan-out over notebooks runs each instance's own notebook, in its own folder.
      const notebook = node.instanceNotebooks?.[req.instance ?? 0] ?? node.notebook;
      const cwd = node.cwd ?? (node.instanceNotebooks ? dirname(notebook) : nodeKernelCwd(node));
      started.add(node.id);
      const { params, secrets } = splitSecrets(req.params, opts.secrets);
      const servers = await pool;
      let member: PoolMember | undefined;
      let server: JupyterServer | undefined;
      const result = await executeNotebook({
        inputPath: notebook,
        outputPath: req.outputPath,
        params,
        expectedParams: expectedParams(node),
        secrets,
        kernelName: node.kernel,
        getKernel: async (kernelName) => {
          const got = await servers.acquire(kernelName, cwd, node.id, node.server);
          member = got.member;
          server = got.server;
          return got.session;
        },
        // The server takes ≈0.3 s to stop a kernel (measured): that must not delay the next node
        // of a chain. The pool stops it in the background; close() waits for it.
        releaseKernel: async (session) => {
          if (member) servers.release(member, session);
        },
        cellTimeoutMs: node.cellTimeout,
        timeoutMs: node.timeout,
        declaredOutputs: node.outputs,
        env: node.env,
        signal: req.signal,
        onProgress: req.onProgress,
        warn: (m) => opts.warn?.(m, node.id),
      });
      if (result.ok) return { ok: true, outputs: result.outputs };
      // A kernel that died with its server: the run's own server is started again, another is not
      // used again; the node failed as server_lost, which its retry policy may retry.
      if (member && server && result.error.errorClass === 'kernel_died' && (await servers.lost(member, server))) {
        servers.serverLost(member, server, `${node.id} was running on it`);
        const message = `the Jupyter server stopped while the node ran: ${result.error.message}`;
        return { ok: false, error: { ...result.error, errorClass: 'server_lost', message, evalue: message }, cancelled: result.cancelled };
      }
      return { ok: false, error: result.error, cancelled: result.cancelled };
    },
    prepare(nodes) {
      for (const node of nodes
        .filter(hasNotebook)
        .filter((n) => !started.has(n.id))
        .slice(0, WARM_CANDIDATES)) {
        void kernelNameOf(node).then((name) => {
          if (!started.has(node.id)) void pool.then((p) => p.prewarm(name, nodeKernelCwd(node), node.id, node.server));
        });
      }
    },
    // An embedded server is stopped right after the run, which ends every kernel itself.
    close: () => pool.then((p) => p.close()),
  };
}

/**
 * A node's params, the ones given a secret's stand-in (whole, or inside a longer string) apart:
 * those get their real values, and are set in the kernel as secrets.
 */
function splitSecrets(
  all: Record<string, unknown>,
  mask: Secrets | undefined,
): { params: Record<string, unknown>; secrets?: { params: Record<string, unknown>; mask: Secrets } } {
  if (!mask || mask.size === 0) return { params: all };
  const params: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) {
    if (holdsSecret(value)) secret[name] = mask.reveal(value as string);
    else params[name] = value;
  }
  return { params, secrets: { params: secret, mask } };
}

// The real Executor: runs a node's notebook on a fresh kernel of the run's Jupyter server.
import type { AttemptRequest, AttemptResult, Executor } from '../engine/executor.js';
import type { NodeSpec } from '../workflow/types.js';
import { executeNotebook } from '../kernel/execute-notebook.js';
import type { JupyterServer } from '../kernel/jupyter-server.js';
import { KernelPool } from '../kernel/kernel-pool.js';
import { nodeKernelCwd, nodeKernelName } from '../kernel/node-kernel.js';
import { poolWarmUp, WARM_CANDIDATES } from './warm-up.js';

export interface KernelExecutorOptions {
  server: JupyterServer;
  /** @default 60000 */
  startTimeoutMs?: number;
  warn?: (message: string, node?: string) => void;
}

export function createKernelExecutor(opts: KernelExecutorOptions): Executor {
  const pool = new KernelPool({
    endpoint: opts.server,
    embedded: opts.server.embedded,
    startTimeoutMs: opts.startTimeoutMs,
    ...poolWarmUp,
  });
  /** Nodes that asked for a kernel already: a late pre-warm for them would go unused. */
  const started = new Set<string>();
  const kernelNames = new Map<string, Promise<string>>();

  const kernelNameOf = (node: NodeSpec): Promise<string> => {
    if (node.kernel) return Promise.resolve(node.kernel);
    let name = kernelNames.get(node.notebook);
    if (!name) kernelNames.set(node.notebook, (name = nodeKernelName(node)));
    return name;
  };

  return {
    async execute(req: AttemptRequest): Promise<AttemptResult> {
      const node = req.node;
      const cwd = nodeKernelCwd(node);
      started.add(node.id);
      const result = await executeNotebook({
        inputPath: node.notebook,
        outputPath: req.outputPath,
        params: req.params,
        kernelName: node.kernel,
        getKernel: (kernelName) => pool.acquire(kernelName, cwd, node.id),
        // The server takes ≈0.3 s to stop a kernel (measured): that must not delay the next node
        // of a chain. The pool stops it in the background; close() waits for it.
        releaseKernel: async (session) => pool.release(session),
        cellTimeoutMs: node.cellTimeout,
        timeoutMs: node.timeout,
        declaredOutputs: node.outputs,
        env: node.env,
        signal: req.signal,
        onProgress: req.onProgress,
        warn: (m) => opts.warn?.(m, node.id),
      });
      if (result.ok) return { ok: true, outputs: result.outputs };
      return { ok: false, error: result.error, cancelled: result.cancelled };
    },
    prepare(nodes) {
      for (const node of nodes.filter((n) => !started.has(n.id)).slice(0, WARM_CANDIDATES)) {
        void kernelNameOf(node).then((name) => {
          if (!started.has(node.id)) pool.prewarm(name, nodeKernelCwd(node), node.id);
        });
      }
    },
    // An embedded server is stopped right after the run, which ends every kernel itself.
    close: () => pool.close({ leaveToServer: opts.server.embedded }),
  };
}

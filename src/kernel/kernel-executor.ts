// The real Executor: runs a node's notebook on a fresh kernel of the run's Jupyter server.
import { dirname } from 'node:path';
import type { AttemptRequest, AttemptResult, Executor } from '../engine/executor.js';
import { executeNotebook } from './execute-notebook.js';
import type { JupyterServer } from './jupyter-server.js';
import { KernelPool } from './kernel-pool.js';

export interface KernelExecutorOptions {
  server: JupyterServer;
  /** @default 60000 */
  startTimeoutMs?: number;
  warn?: (message: string, node?: string) => void;
}

export function createKernelExecutor(opts: KernelExecutorOptions): Executor {
  const pool = new KernelPool({ endpoint: opts.server, embedded: opts.server.embedded, startTimeoutMs: opts.startTimeoutMs });
  return {
    async execute(req: AttemptRequest): Promise<AttemptResult> {
      const node = req.node;
      const cwd = node.cwd ?? dirname(node.notebook);
      const result = await executeNotebook({
        inputPath: node.notebook,
        outputPath: req.outputPath,
        params: req.params,
        kernelName: node.kernel,
        getKernel: (kernelName) => pool.acquire(kernelName, cwd),
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
      for (const node of nodes) pool.prewarm(node.kernel ?? 'python3', node.cwd ?? dirname(node.notebook));
    },
    close: () => pool.close(),
  };
}

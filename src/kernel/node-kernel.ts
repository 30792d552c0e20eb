// Which kernel a node's notebook runs on, and where: what a kernel start is asked for.
import { dirname } from 'node:path';
import { notebookKernel, readNotebook } from '../notebook/read-notebook.js';
import type { NotebookNodeSpec } from '../workflow/decision-nodes.js';

/** The kernel a node will ask for: its own `kernel`, else its notebook's kernelspec (as executeNotebook decides). */
export function nodeKernelName(node: NotebookNodeSpec): Promise<string> {
  if (node.kernel) return Promise.resolve(node.kernel);
  return readNotebook(node.notebook).then(
    (nb) => notebookKernel(nb).name ?? 'python3',
    () => 'python3',
  );
}

/** The folder a node's kernel runs in. */
export function nodeKernelCwd(node: NotebookNodeSpec): string {
  return node.cwd ?? dirname(node.notebook);
}

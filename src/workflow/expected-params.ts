// Params a node passes to its notebook on purpose, whether or not the notebook defines them.
import type { NodeSpec } from './types.js';

/**
 * The params of `node` that are not a mistake when its notebook's parameters cell lacks them:
 * shared ones from `defaults.params` (meant for the nodes that use them), and a matrix axis that
 * names the notebook of a fan-out over notebooks (`notebook: …/${{ matrix.audit }}.ipynb`).
 */
export function expectedParams(node: NodeSpec): string[] {
  const axes = Object.keys(node.matrix?.axes ?? {}).filter((a) => (node.notebookAsWritten ?? '').includes(`matrix.${a}`));
  return [...(node.defaultedParams ?? []), ...axes];
}

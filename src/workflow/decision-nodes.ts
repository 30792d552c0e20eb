// Decision nodes: a node with `next:` and no `notebook:` decides its branch in CEL alone, no kernel.
import type { Diagnostic } from '../errors.js';
import type { RawNode } from './schema.js';
import type { SourceMap } from './source-map.js';
import type { NodeSpec } from './types.js';

/** A node with a notebook to run: every node but a decision node. */
export type NotebookNodeSpec = NodeSpec & { readonly notebook: string; readonly notebookAsWritten: string };

/** True for a node without a notebook: its `next` reads upstream outputs, and nothing is executed. */
export function isDecisionNode(node: NodeSpec): boolean {
  return node.notebook === undefined;
}

/** The opposite of isDecisionNode, as a type guard for the code that runs notebooks. */
export function hasNotebook(node: NodeSpec): node is NotebookNodeSpec {
  return node.notebook !== undefined;
}

/** Keys that only make sense where a notebook runs (those from `defaults:` are simply not applied). */
const notebookOnlyKeys = ['outputs', 'matrix', 'kernel', 'timeout', 'cell_timeout', 'retry', 'cwd', 'env', 'server'] as const;

/** Load-time errors of a node written without `notebook:`; none for a node with one. */
export function checkDecisionNode(id: string, n: RawNode, src: SourceMap): Diagnostic[] {
  if (n.notebook !== undefined) return [];
  const at = ['nodes', id];
  if (!n.next || n.next.length === 0) {
    return [
      {
        severity: 'error',
        pos: src.keyPos(at),
        message: `node "${id}" has no notebook: a decision node needs \`next:\``,
        hint: 'add `notebook:` to run one, or `next:` to choose a branch from upstream outputs',
      },
    ];
  }
  return notebookOnlyKeys
    .filter((key) => n[key] !== undefined)
    .map((key) => ({
      severity: 'error' as const,
      pos: src.keyPos([...at, key]),
      message: `node "${id}" is a decision node, which runs no notebook: drop \`${key}\``,
      hint:
        key === 'outputs'
          ? 'its `next` reads upstream outputs as nodes.<id>.outputs.<name>'
          : 'or give it a `notebook:` to run; a decision node takes needs, params, if, run_if, next and continue_on_error',
    }));
}

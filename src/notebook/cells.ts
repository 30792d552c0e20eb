// Small helpers on nbformat cells: tags, new cells with nbformat 4.5 ids.
import { randomBytes } from 'node:crypto';
import type { Cell, CodeCell, MarkdownCell, Notebook } from './types.js';

/** A new cell id: 8 hex characters, as nbformat's `random_cell_id()` makes them. */
export function newCellId(): string {
  return randomBytes(4).toString('hex');
}

/** Whether the cell carries `tag` in `metadata.tags`. */
export function hasTag(cell: Cell, tag: string): boolean {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) && tags.includes(tag);
}

/** Index of the first cell tagged `tag`, or -1. */
export function findTaggedCell(nb: Notebook, tag: string): number {
  return nb.cells.findIndex((c) => hasTag(c, tag));
}

export function newCodeCell(source: string, tags: string[] = []): CodeCell {
  return {
    cell_type: 'code',
    id: newCellId(),
    execution_count: null,
    metadata: tags.length > 0 ? { tags } : {},
    outputs: [],
    source,
  };
}

export function newMarkdownCell(source: string, tags: string[] = []): MarkdownCell {
  return {
    cell_type: 'markdown',
    id: newCellId(),
    metadata: tags.length > 0 ? { tags } : {},
    source,
  };
}

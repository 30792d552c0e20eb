// Reads an .ipynb file into a Notebook (nbformat 4.5), with a clear message for every way it can fail.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { newCellId } from './cells.js';
import { jsonErrorPosition } from './json-error-position.js';
import type { Cell, Notebook } from './types.js';

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** Reads and parses a notebook file; every problem is a UsageError naming the path. */
export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`notebook not found: ${path}`);
    if (code === 'EISDIR') throw new UsageError(`${path} is a directory, not a notebook`);
    throw new UsageError(`cannot read notebook ${path}: ${(err as Error).message}`);
  }
  return parseNotebook(text, path);
}

/**
 * Parses notebook JSON. Older nbformat 4 minors are upgraded to 4.5 (cells get ids), unknown
 * metadata is kept, and nbformat's transient keys (`signature`, `orig_nbformat`, `trusted`) dropped.
 */
export function parseNotebook(text: string, path: string): Notebook {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const pos = jsonErrorPosition(text);
    const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
    throw new UsageError(`${where}: the notebook is not valid JSON (${jsonProblem(err as Error)})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`${path} is not a Jupyter notebook: it is not a JSON object`);
  }
  const depth = nestingDepth(raw);
  if (depth > MAX_DEPTH) {
    throw new UsageError(`${path} is not a notebook flow can read: its JSON is nested ${depth} levels deep (at most ${MAX_DEPTH})`);
  }
  const doc = raw as Record<string, unknown>;
  const major = doc.nbformat;
  if (major === undefined) {
    throw new UsageError(`${path} is not a Jupyter notebook: it has no "nbformat" field`);
  }
  if (typeof major !== 'number') {
    throw new UsageError(`${path} is not a Jupyter notebook: "nbformat" is ${JSON.stringify(major)}`);
  }
  if (major < 4) {
    throw new UsageError(
      `${path} is nbformat ${major}; flow reads nbformat 4`,
      `convert it with \`jupyter nbconvert --to notebook --nbformat 4 ${path}\``,
    );
  }
  if (major > 4) throw new UsageError(`${path} is nbformat ${major}, newer than flow reads (nbformat 4)`);
  if (!Array.isArray(doc.cells)) {
    throw new UsageError(`${path} is not a Jupyter notebook: it has no "cells" list`);
  }
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  delete metadata.signature;
  delete metadata.orig_nbformat;
  delete metadata.orig_nbformat_minor;
  const minor = typeof doc.nbformat_minor === 'number' ? doc.nbformat_minor : 0;
  const seen = new Set<string>();
  const cells = doc.cells.map((c, i) => normalizeCell(c, i, path, seen));
  return { ...doc, nbformat: 4, nbformat_minor: Math.max(minor, 5), metadata, cells } as Notebook;
}

function normalizeCell(c: unknown, index: number, path: string, seen: Set<string>): Cell {
  const type = isObject(c) ? c.cell_type : undefined;
  if (!isObject(c) || (type !== 'code' && type !== 'markdown' && type !== 'raw')) {
    throw new UsageError(`${path} is not a valid notebook: cell ${index} has no valid "cell_type"`);
  }
  const cell = c as unknown as Cell & Record<string, unknown>;
  if (!isObject(cell.metadata)) cell.metadata = {};
  delete cell.metadata.trusted;
  if (cell.source === undefined) cell.source = '';
  const problem = sourceProblem(cell.source);
  if (problem) throw new UsageError(`${path} is not a valid notebook: cell ${index} has a "source" that ${problem}`);
  if (cell.cell_type === 'code') {
    if (!Array.isArray(cell.outputs)) cell.outputs = [];
    if (cell.execution_count === undefined) cell.execution_count = null;
  }
  // nbformat 4.5 requires unique ids; an upgrade or a copy-pasted cell may lack one.
  if (typeof cell.id !== 'string' || !CELL_ID.test(cell.id) || seen.has(cell.id)) {
    let id = newCellId();
    while (seen.has(id)) id = newCellId();
    cell.id = id;
  }
  seen.add(cell.id);
  return cell;
}

/**
 * How deep JSON may nest in a notebook: nbformat itself (Python's json, its recursion limit)
 * cannot read one much deeper, and copying deeper values overflows the stack.
 */
const MAX_DEPTH = 500;

/** How deep `value` nests (a scalar: 0), counted without recursion. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** Why a cell's `source` is not nbformat's multiline string (a string, or a list of strings). */
export function sourceProblem(source: unknown): string | undefined {
  if (typeof source === 'string') return undefined;
  if (Array.isArray(source) && source.every((s) => typeof s === 'string')) return undefined;
  return Array.isArray(source) ? 'is a list of more than strings' : `is ${source === null ? 'null' : `a ${typeof source}`}, not text`;
}

/**
 * JSON.parse's message without the excerpt of the text it quotes (V8 puts the characters around
 * the error in it, newlines and control characters included): the position says where.
 */
function jsonProblem(err: Error): string {
  return err.message.replace(/, (?:\.\.\.)?".*$/s, '').replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The kernel a notebook asks for. `name` is undefined when the notebook has no kernelspec (the
 * caller decides). The language follows papermill: `language_info.name`, then
 * `kernelspec.language`, else python.
 */
export function notebookKernel(nb: Notebook): { name: string | undefined; language: string } {
  const ks = nb.metadata.kernelspec;
  const name = typeof ks?.name === 'string' && ks.name !== '' ? ks.name : undefined;
  const li = nb.metadata.language_info?.name;
  const language =
    (typeof li === 'string' && li !== '' ? li : undefined) ??
    (typeof ks?.language === 'string' && ks.language !== '' ? ks.language : undefined) ??
    'python';
  return { name, language };
}

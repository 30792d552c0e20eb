// Load-time checks of each node's notebook: it exists, it is a notebook, it defines the params the
// node passes (papermill warns "unknown parameter" at run time; flow says so before running), and
// its language can do what the node asks (env, outputs read from variables).
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { findTaggedCell } from './cells.js';
import { inspectParameters } from './inspect-parameters.js';
import { notebookKernel, sourceProblem } from './read-notebook.js';
import { checkKernelRequests } from './translators/capabilities.js';
import type { Notebook } from './types.js';
import type { SourceMap } from '../workflow/source-map.js';
import { hasNotebook, type NotebookNodeSpec } from '../workflow/decision-nodes.js';
import type { NodeSpec } from '../workflow/types.js';
import { expectedParams } from '../workflow/expected-params.js';

/**
 * What the notebook's first cell tagged `parameters` defines: `cell: false` when there is none;
 * `names` undefined when flow cannot read that language's assignments (only Python, as papermill).
 */
export function parameterNames(nb: Notebook): { cell: boolean; names?: string[] } {
  if (findTaggedCell(nb, 'parameters') < 0) return { cell: false };
  if (notebookKernel(nb).language.toLowerCase() !== 'python') return { cell: true };
  return { cell: true, names: inspectParameters(nb).map((p) => p.name) };
}

type Read = { nb: Notebook } | { problem: string; hint?: string };

/** `line:col` (1-based) of character `offset` of `text`. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

async function readNotebook(path: string): Promise<Read> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: 'does not exist', hint: `paths are relative to the workflow file: looked for ${path}` };
    if (code === 'EISDIR') return { problem: 'is a directory, not a notebook' };
    return { problem: `cannot be read (${code ?? (e as Error).message})` };
  }
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    // Where it breaks, as line:col of the notebook file (JSON.parse says a character position).
    const at = /position (\d+)/.exec((e as Error).message);
    const where = at ? ` at ${lineCol(text, Number(at[1]))}` : '';
    return { problem: `is not a notebook: it is not JSON${where}`, hint: 'give the path of an .ipynb file (was it saved whole?)' };
  }
  const o = nb as Partial<Notebook> | null;
  if (o && typeof o === 'object' && typeof o.nbformat === 'number' && o.nbformat < 4) {
    return {
      problem: `is nbformat ${o.nbformat}; flow reads nbformat 4`,
      hint: `convert it with \`jupyter nbconvert --to notebook --nbformat 4 ${path}\``,
    };
  }
  if (!o || typeof o !== 'object' || !Array.isArray(o.cells)) return { problem: 'is not a notebook: it has no "cells" list' };
  if (o.nbformat !== 4) {
    return { problem: `is nbformat ${String(o.nbformat)}, not 4`, hint: 'convert it with `jupyter nbconvert --to notebook`' };
  }
  const badCell = o.cells.findIndex(
    (c) => typeof c !== 'object' || c === null || sourceProblem((c as { source?: unknown }).source ?? '') !== undefined,
  );
  if (badCell >= 0) {
    const c = o.cells[badCell] as { source?: unknown } | null;
    const why = typeof c === 'object' && c !== null ? `has a "source" that ${sourceProblem(c.source)}` : 'is not an object';
    return { problem: `is not a valid notebook: cell ${badCell} ${why}` };
  }
  return { nb: o as Notebook };
}

/** Errors for missing or broken notebooks; warnings for params the notebook does not define. Decision nodes have none to check. */
export async function checkNotebooks(nodes: readonly NodeSpec[], src: SourceMap): Promise<Diagnostic[]> {
  const reads = new Map<string, Promise<Read>>();
  const diags: Diagnostic[] = [];
  for (const node of nodes.filter(hasNotebook)) {
    // A fan-out over notebooks: every instance's notebook must be there; the first is checked further.
    // A templated path that could not be expanded was reported where it was written.
    if (node.notebookAsWritten.includes('${{') && !node.instanceNotebooks) continue;
    let missing = false;
    for (const [i, file] of (node.instanceNotebooks ?? []).entries()) {
      if (!reads.has(file)) reads.set(file, readNotebook(file));
      const r = await reads.get(file)!;
      if ('problem' in r) {
        missing = true;
        diags.push({
          severity: 'error',
          pos: src.valuePos(['nodes', node.id, 'notebook']),
          message: `node "${node.id}" instance ${i}: notebook ${relative(dirname(node.notebook), file) || file} ${r.problem}`,
          hint: r.hint,
        });
      }
    }
    if (missing) continue;
    if (!reads.has(node.notebook)) reads.set(node.notebook, readNotebook(node.notebook));
    const read = await reads.get(node.notebook)!;
    if ('problem' in read) {
      diags.push({
        severity: 'error',
        pos: src.valuePos(['nodes', node.id, 'notebook']),
        message: `node "${node.id}": notebook ${node.notebookAsWritten} ${read.problem}`,
        hint: read.hint,
      });
      continue;
    }
    diags.push(...languageProblems(node, read.nb, src));
    const expected = new Set(expectedParams(node));
    const axes = Object.keys(node.matrix?.axes ?? {});
    const passed = [...Object.keys(node.params), ...axes].filter((k) => !expected.has(k));
    if (passed.length === 0) continue;
    const { cell, names: defined } = parameterNames(read.nb);
    if (!cell) {
      diags.push({
        severity: 'warning',
        pos: src.valuePos(['nodes', node.id, 'notebook']),
        message: `node "${node.id}" passes params, but notebook ${node.notebookAsWritten} has no cell tagged "parameters"`,
        hint: 'they will be injected at the top; tag the cell that sets their defaults "parameters"',
      });
      continue;
    }
    if (!defined) continue;
    for (const name of passed) {
      if (defined.includes(name)) continue;
      const inParams = Object.hasOwn(node.params, name);
      diags.push({
        severity: 'warning',
        pos: src.keyPos(['nodes', node.id, inParams ? 'params' : 'matrix', name]),
        message: `node "${node.id}" passes unknown parameter "${name}": the parameters cell of ${node.notebookAsWritten} does not define it`,
        hint: defined.length ? `it defines ${defined.join(', ')}` : 'add it to the parameters cell',
      });
    }
  }
  return diags;
}

/** A node's `env:` and declared outputs its kernel's language cannot serve (see checkKernelRequests). */
function languageProblems(node: NotebookNodeSpec, nb: Notebook, src: SourceMap): Diagnostic[] {
  const kernel = notebookKernel(nb);
  const problems = checkKernelRequests({
    language: kernel.language,
    kernelName: node.kernel ?? kernel.name,
    env: Object.keys(node.env),
    outputs: node.outputs,
  });
  return problems.map((p) => ({
    severity: 'error',
    pos: src.keyPos(['nodes', node.id, p.field, p.name]),
    message: `node "${node.id}" ${p.message}`,
    hint: p.hint,
  }));
}

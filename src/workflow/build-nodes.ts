// The `nodes:` block → NodeSpecs: defaults merged under each node, paths resolved, ids and edges
// checked. Expressions are checked afterwards, by check-expressions.ts.
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { parseDuration } from './duration.js';
import { buildRetry } from './build-retry.js';
import { checkDecisionNode } from './decision-nodes.js';
import type { RawNode, RawWorkflow } from './schema.js';
import { identifierPattern } from './schema.js';
import type { SourceMap, YamlPath } from './source-map.js';
import type { Branch, MatrixSpec, NodeSpec } from './types.js';
import { expandMatrixCombos } from './matrix-combos.js';

const safeId = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
// Names Windows refuses as file names, whatever the extension.
const reserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Why a node id is not safe as a file name, or undefined when it is. */
export function unsafeIdReason(id: string): string | undefined {
  if (id.includes('/') || id.includes('\\')) return 'it contains a path separator';
  if (id.includes('..')) return 'it contains ".."';
  if (!safeId.test(id)) return 'it may only hold letters, digits, "_" and "-", and not start with "-"';
  if (id.length > 100) return 'it is longer than 100 characters';
  if (reserved.test(id)) return 'Windows reserves it as a device name';
  return undefined;
}

export function buildNodes(raw: RawWorkflow, file: string, src: SourceMap, diags: Diagnostic[]): Record<string, NodeSpec> {
  const dir = dirname(file);
  const ids = Object.keys(raw.nodes);
  const defaults = raw.defaults ?? {};
  const error = (path: YamlPath, message: string, hint?: string, key = false): void => {
    diags.push({ severity: 'error', pos: key ? src.keyPos(path) : src.valuePos(path), message, hint });
  };
  const out: Record<string, NodeSpec> = {};
  const defaultRetry = buildRetry(undefined, defaults.retry, ['defaults'], src, diags);

  for (const [id, n] of Object.entries(raw.nodes)) {
    const at = ['nodes', id];
    const reason = unsafeIdReason(id);
    if (reason) error(at, `node id "${id}" is not safe as a file name: ${reason}`, 'rename the node', true);
    diags.push(...checkDecisionNode(id, n, src));

    const needs = typeof n.needs === 'string' ? [n.needs] : [...new Set(n.needs ?? [])];
    const needsPath = (i: number): YamlPath => (typeof n.needs === 'string' ? [...at, 'needs'] : [...at, 'needs', i]);
    (typeof n.needs === 'string' ? [n.needs] : (n.needs ?? [])).forEach((need, i) => {
      if (need === id) error(needsPath(i), `node "${id}" needs itself`);
      else if (!raw.nodes[need]) {
        error(needsPath(i), `node "${id}" needs unknown node "${need}"`, didYouMean(need, ids) ?? `known nodes: ${ids.join(', ')}`);
      }
    });

    const next: Branch[] = [];
    (n.next ?? []).forEach((b, i) => {
      const bAt = [...at, 'next', i];
      if (b.goto === id) error([...bAt, 'goto'], `node "${id}" cannot go to itself`);
      else if (!raw.nodes[b.goto]) {
        error(
          [...bAt, 'goto'],
          `node "${id}" goes to unknown node "${b.goto}"`,
          didYouMean(b.goto, ids) ?? `known nodes: ${ids.join(', ')}`,
        );
      }
      if (b.when === undefined && i < n.next!.length - 1) {
        diags.push({
          severity: 'warning',
          pos: src.valuePos(bAt),
          message: `node "${id}" next[${i}] has no \`when\`, so the branches after it are never taken`,
          hint: 'put the otherwise branch last',
        });
      }
      next.push({
        goto: b.goto,
        pos: src.valuePos(bAt),
        ...(b.when !== undefined && { when: { source: b.when, pos: src.offsetInString([...bAt, 'when'], 0) } }),
      });
    });

    for (const name of Object.keys(n.params ?? {})) {
      if (!new RegExp(identifierPattern).test(name)) {
        error(
          [...at, 'params', name],
          `node "${id}" param "${name}" is not an identifier`,
          'notebooks receive params as variables: use letters, digits and "_"',
          true,
        );
      }
    }
    for (const name of Object.keys(n.outputs ?? {})) {
      if (!new RegExp(identifierPattern).test(name)) {
        error(
          [...at, 'outputs', name],
          `node "${id}" output "${name}" is not an identifier`,
          'outputs are read from notebook variables: use letters, digits and "_"',
          true,
        );
      }
    }

    const timeout = n.timeout ?? defaults.timeout;
    const cellTimeout = n.cell_timeout ?? defaults.cell_timeout;
    const cwd = n.cwd ?? defaults.cwd;
    const kernel = n.kernel ?? defaults.kernel;
    // A decision node runs no notebook: shared params are for notebooks.
    const shared = n.notebook === undefined ? {} : (defaults.params ?? {});
    const defaulted = Object.keys(shared).filter((k) => !Object.hasOwn(n.params ?? {}, k));
    const env = Object.fromEntries(Object.entries({ ...defaults.env, ...n.env }).map(([k, v]) => [k, String(v)]));
    const matrix = buildMatrix(n, at, error);
    const instanceNotebooks = (
      n.notebook === undefined ? undefined : matrixNotebooks(n.notebook, matrix, [...at, 'notebook'], src, diags)
    )?.map((f) => resolve(dir, f));
    out[id] = {
      id,
      ...(n.notebook !== undefined && {
        notebook: instanceNotebooks?.[0] ?? resolve(dir, n.notebook),
        notebookAsWritten: n.notebook,
      }),
      ...(instanceNotebooks && { instanceNotebooks }),
      needs,
      params: { ...shared, ...n.params },
      ...(defaulted.length > 0 && { defaultedParams: defaulted }),
      outputs: n.outputs ?? {},
      next,
      runIf: n.run_if ?? 'none_failed_min_one_success',
      retry: n.retry ? buildRetry(n.retry, defaults.retry, at, src, diags) : defaultRetry,
      env,
      continueOnError: n.continue_on_error ?? defaults.continue_on_error ?? false,
      pos: src.keyPos(at),
      ...(n.if !== undefined && { if: { source: n.if, pos: src.offsetInString([...at, 'if'], 0) } }),
      ...(kernel !== undefined && { kernel }),
      ...(timeout !== undefined && { timeout: parseDuration(timeout)! }),
      ...(cellTimeout !== undefined && { cellTimeout: parseDuration(cellTimeout)! }),
      ...(cwd !== undefined && { cwd: resolve(dir, cwd) }),
      ...((n.server ?? defaults.server) !== undefined && { server: n.server ?? defaults.server }),
      ...(matrix && { matrix }),
    };
  }
  return out;
}

const MATRIX_REF = /\$\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The notebook of each instance when `notebook:` names a matrix value (`${{ matrix.audit }}`),
 * in matrix order; undefined when it names none. Anything else in it is an error: a notebook's
 * path is known when the workflow loads.
 */
function matrixNotebooks(
  notebook: string,
  matrix: MatrixSpec | undefined,
  path: YamlPath,
  src: SourceMap,
  diags: Diagnostic[],
): string[] | undefined {
  if (!notebook.includes('${{')) return undefined;
  const error = (at: number, message: string, hint?: string) =>
    diags.push({ severity: 'error', pos: src.offsetInString(path, at), message, hint });
  const rest = notebook.replace(MATRIX_REF, '');
  if (rest.includes('${{')) {
    error(
      notebook.indexOf('${{'),
      'notebook: only ${{ matrix.<axis> }} can be used in a notebook path',
      'the path is decided when the workflow loads',
    );
    return undefined;
  }
  if (!matrix) {
    error(notebook.indexOf('${{'), 'notebook: ${{ matrix.… }} needs a matrix on this node', 'add `matrix:` with that axis');
    return undefined;
  }
  const keys = new Set([...Object.keys(matrix.axes), ...(matrix.include ?? []).flatMap((e) => Object.keys(e))]);
  for (const m of notebook.matchAll(MATRIX_REF)) {
    if (!keys.has(m[1]!)) {
      error(
        m.index! + m[0].indexOf(m[1]!),
        `notebook: the matrix has no "${m[1]}"`,
        didYouMean(m[1]!, [...keys]) ?? `it has ${[...keys].join(', ')}`,
      );
      return undefined;
    }
  }
  return expandMatrixCombos(matrix).map((combo) => notebook.replace(MATRIX_REF, (_, k: string) => String(combo[k] ?? '')));
}

function buildMatrix(
  n: RawNode,
  at: string[],
  error: (path: YamlPath, message: string, hint?: string, key?: boolean) => void,
): MatrixSpec | undefined {
  if (!n.matrix) return undefined;
  const axes: Record<string, readonly unknown[]> = {};
  let maxParallel: number | undefined;
  let invalid = false;
  const lists: Partial<Record<'include' | 'exclude', Record<string, unknown>[]>> = {};
  for (const [name, values] of Object.entries(n.matrix)) {
    if (name === 'include' || name === 'exclude') {
      const entries = Array.isArray(values) ? values : [];
      entries.forEach((e, i) => {
        if (e === null || typeof e !== 'object' || Array.isArray(e)) {
          invalid = true;
          error([...at, 'matrix', name, i], `nodes.${at[1]}.matrix.${name}[${i}]: expected a mapping of axis names to values`);
        }
      });
      lists[name] = entries as Record<string, unknown>[];
      continue;
    }
    if (!Array.isArray(values)) {
      if (name === 'max_parallel') maxParallel = values;
      else {
        invalid = true;
        error([...at, 'matrix', name], `nodes.${at[1]}.matrix.${name}: expected a list of values, got ${values}`);
      }
      continue;
    }
    if (!new RegExp(identifierPattern).test(name)) {
      error(
        [...at, 'matrix', name],
        `matrix axis "${name}" is not an identifier`,
        'it is injected as a notebook parameter of that name',
        true,
      );
    }
    axes[name] = values;
  }
  if (Object.keys(axes).length === 0 && !lists.include?.length && !invalid) {
    error([...at, 'matrix'], `nodes.${at[1]}.matrix: has no axis`, 'give at least one, like `coef: [0.1, 0.5]`');
  }
  for (const [name, entries] of Object.entries(lists)) {
    entries.forEach((e, i) => {
      for (const key of Object.keys(e ?? {})) {
        if (name === 'exclude' && !(key in axes)) {
          error(
            [...at, 'matrix', name, i, key],
            `nodes.${at[1]}.matrix.exclude[${i}]: "${key}" is not an axis`,
            didYouMean(key, Object.keys(axes)) ?? `axes: ${Object.keys(axes).join(', ')}`,
            true,
          );
        }
      }
    });
  }
  return {
    axes,
    ...(lists.include?.length && { include: lists.include }),
    ...(lists.exclude?.length && { exclude: lists.exclude }),
    ...(maxParallel !== undefined && { maxParallel }),
  };
}

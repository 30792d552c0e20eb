// Injects parameters into a notebook as papermill does: a code cell tagged `injected-parameters`.
import { UsageError } from '../errors.js';
import { findTaggedCell, newCodeCell } from './cells.js';
import { inspectParameters } from './inspect-parameters.js';
import { findTranslator, translateParameters } from './translators/index.js';
import type { Notebook } from './types.js';
import { MASK } from '../workflow/secrets.js';

export interface InjectOptions {
  /** The kernel's language, e.g. from `notebookKernel(nb).language`. */
  language: string;
  /** The kernel name; some kernels (pysparkkernel…) have a translator of their own. */
  kernelName?: string;
  /** Hide the injected cell's source (papermill's --report-mode). @default false */
  reportMode?: boolean;
  /**
   * Params set in the kernel as secrets, before the injected cell runs (a silent execute, see
   * secretAssignments): the cell only names them in a comment, and the record shows ***.
   */
  secretNames?: readonly string[];
  /**
   * Params passed on purpose to notebooks that may not define them (a workflow's defaults.params,
   * a matrix axis that names the notebook): no unknown-parameter warning for these.
   */
  expected?: readonly string[];
}

/** An identifier in most kernel languages; a translator may be stricter or looser. */
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

/**
 * Returns a copy of `nb` with `params` injected (the input is not changed), following papermill:
 * the new cell goes right after the first cell tagged `parameters`; an existing
 * `injected-parameters` cell (from a re-run output notebook) is replaced in place; with no
 * `parameters` cell it goes first, with a warning. Only the passed parameters are injected; with
 * none, no cell is added (as papermill). `metadata.papermill.parameters` records them.
 */
export function injectParameters(
  nb: Notebook,
  params: Record<string, unknown>,
  options: InjectOptions,
): { notebook: Notebook; warnings: string[] } {
  const notebook = structuredClone(nb);
  const warnings: string[] = [];
  const secretNames = options.secretNames ?? [];
  const names = [...Object.keys(params), ...secretNames];
  if (names.length === 0) return { notebook, warnings };

  const translator = findTranslator(options.language, options.kernelName);
  for (const name of names) {
    const valid = translator.isValidName ? translator.isValidName(name) : IDENTIFIER.test(name);
    if (!valid) throw new UsageError(`parameter name "${name}" is not a valid ${translator.language} variable name`);
  }
  let source = translateParameters(options.language, params, { kernelName: options.kernelName });
  for (const name of secretNames)
    source += `${translator.comment(`${name}: set by flow as a secret (its value is not written here)`)}
`;
  const cell = newCodeCell(source, ['injected-parameters']);
  if (options.reportMode) cell.metadata.jupyter = { source_hidden: true };

  const injected = findTaggedCell(notebook, 'injected-parameters');
  const declared = findTaggedCell(notebook, 'parameters');
  if (injected >= 0) {
    notebook.cells.splice(injected, 1, cell);
  } else if (declared >= 0) {
    notebook.cells.splice(declared + 1, 0, cell);
  } else {
    notebook.cells.unshift(cell);
    warnings.push('the notebook has no cell tagged "parameters": the injected parameters cell was put first');
  }
  if (declared >= 0 && translator.language === 'Python') {
    const known = new Set([...inspectParameters(nb).map((p) => p.name), ...(options.expected ?? [])]);
    for (const name of names) {
      if (!known.has(name)) warnings.push(`parameter "${name}" is not defined in the notebook's parameters cell`);
    }
  }
  const recorded = { ...structuredClone(params), ...Object.fromEntries(secretNames.map((n) => [n, MASK])) };
  notebook.metadata.papermill = { ...(notebook.metadata.papermill ?? {}), parameters: recorded };
  return { notebook, warnings };
}

/** The code that sets secret params in the kernel: run silently, so it is in no cell and no history. */
export function secretAssignments(language: string, kernelName: string | undefined, secrets: Record<string, unknown>): string {
  return translateParameters(language, secrets, { kernelName, comment: 'flow: secret params' });
}

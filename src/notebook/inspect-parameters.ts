// Infers a notebook's parameters from its `parameters` cell, as `papermill --help-notebook` does.
import { findTaggedCell } from './cells.js';
import { notebookKernel } from './read-notebook.js';
import { sourceText, type Notebook } from './types.js';

export interface ParameterInfo {
  name: string;
  /** From an annotation (`x: int = 1`) or a type comment (`# type: int`); null when unknown. */
  inferredType: string | null;
  /** The default's source text, e.g. `0.5` or `"P1"`. */
  default: string;
  /** The comment after the value. */
  help: string;
}

const W = String.raw`[\p{L}\p{N}_]`; // Python's Unicode \w
/** papermill's PythonTranslator.PARAMETER_PATTERN. */
const PARAMETER = new RegExp(
  String.raw`^(?<target>${W}${W}*)\s*(:\s*["']?(?<annotation>${W}[\p{L}\p{N}_\[\],\s]*)["']?\s*)?=\s*(?<value>.*?)` +
    String.raw`(\s*#\s*(type:\s*(?<type_comment>[^\s]*)\s*)?(?<help>.*))?$`,
  'u',
);

/**
 * The parameters declared in the first cell tagged `parameters`: `name: type = value  # help`
 * lines; blank and comment lines skipped; a value spread over lines (a dict, a list) is joined.
 * Only Python notebooks are inspected (as papermill); others give an empty list.
 */
export function inspectParameters(nb: Notebook): ParameterInfo[] {
  const index = findTaggedCell(nb, 'parameters');
  if (index < 0 || notebookKernel(nb).language.toLowerCase() !== 'python') return [];
  // Group lines per assignment: a line with `=` starts a new group (papermill's rule).
  const groups: string[][] = [];
  let current: string[] = [];
  for (const line of sourceText(nb.cells[index]!.source).split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const equals = line.split('=').length - 1;
    if (equals > 0) {
      groups.push(current);
      current = [];
      if (equals > 1) continue; // papermill cannot parse `a = b == c` either
    }
    current.push(line);
  }
  groups.push(current);

  const params: ParameterInfo[] = [];
  for (const group of groups) {
    const definition = flatten(group);
    if (definition === '') continue;
    const m = PARAMETER.exec(definition);
    if (!m?.groups?.target) continue;
    const g = m.groups;
    params.push({
      name: g.target!.trim(),
      inferredType: (g.annotation ?? g.type_comment)?.trim() || null,
      default: (g.value ?? '').trim(),
      help: (g.help ?? '').trim(),
    });
  }
  return params;
}

/** Joins a multi-line definition, dropping comments except on its last line (that one is help). */
function flatten(lines: string[]): string {
  if (lines.length === 0) return '';
  const head = lines.slice(0, -1).map((l) => (l.includes('#') ? l.slice(0, l.indexOf('#')) : l).trim());
  return head.join('') + lines[lines.length - 1]!.trim();
}

/** The text of `flow inspect`, laid out as `papermill --help-notebook` prints it. */
export function formatParameterHelp(displayPath: string, nb: Notebook): string {
  const out = [`Parameters inferred for notebook '${displayPath}':`];
  if (findTaggedCell(nb, 'parameters') < 0) {
    out.push('', "  No cell tagged 'parameters'");
    return `${out.join('\n')}\n`;
  }
  const language = notebookKernel(nb).language;
  if (language.toLowerCase() !== 'python') {
    out.push('', `  flow cannot infer the parameters of ${language} notebooks (only Python).`);
    return `${out.join('\n')}\n`;
  }
  const params = inspectParameters(nb);
  if (params.length === 0) {
    out.push('', "  Can't infer anything about this notebook's parameters. It may not have any parameter defined.");
  }
  for (const p of params) {
    const definition = `  ${p.name}: ${p.inferredType ?? 'Unknown type'} (default ${p.default})`;
    if (definition.length > 30) out.push(p.help ? `${definition}\n${' '.repeat(34)}${p.help}` : definition);
    else out.push(`${definition.padEnd(34)}${p.help}`.trimEnd());
  }
  return `${out.join('\n')}\n`;
}

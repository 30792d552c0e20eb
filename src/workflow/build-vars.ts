// The `vars:` block → VarSpecs: named values and templates over params and run, typed for
// expressions (checked with every other expression by collect-expressions.ts).
import type { Diagnostic } from '../errors.js';
import { typeOfValue } from './param-types.js';
import { identifierPattern } from './schema.js';
import type { SourceMap } from './source-map.js';
import { scanTemplates, wholeTemplate } from './templates.js';
import type { OutputType, VarSpec } from './types.js';

export function buildVars(raw: Readonly<Record<string, unknown>>, src: SourceMap, diags: Diagnostic[]): Record<string, VarSpec> {
  const out: Record<string, VarSpec> = {};
  for (const [name, value] of Object.entries(raw)) {
    const at = ['vars', name];
    if (!new RegExp(identifierPattern).test(name)) {
      diags.push({
        severity: 'error',
        pos: src.keyPos(at),
        message: `var name "${name}" is not an identifier`,
        hint: 'it is read as vars.<name>: use letters, digits and "_"',
      });
    }
    out[name] = { name, value, type: varType(value), pos: src.keyPos(at) };
  }
  return out;
}

/** `${{ expr }}` alone: whatever expr gives (any); text with templates: a string; else the literal's type. */
function varType(value: unknown): OutputType {
  if (typeof value === 'string') {
    const scan = scanTemplates(value);
    if ('error' in scan || scan.parts.length === 0) return 'string';
    return wholeTemplate(value, scan.parts) ? 'any' : 'string';
  }
  const t = value === null || value === undefined ? 'any' : typeOfValue(value);
  return t === 'null' ? 'any' : (t as OutputType);
}

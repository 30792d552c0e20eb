// The run's parameter values: declared defaults overridden by -f files, -y YAML, -p and -r,
// each value typed and checked against the declared param.
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../errors.js';
import { WorkflowError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { coerceToType, showValue } from './param-types.js';
import { SourceMap } from './source-map.js';
import type { Workflow } from './types.js';

const intPattern = /^\s*[+-]?\d+(_\d+)*\s*$/;
const floatPattern = /^\s*[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*(e[+-]?\d+)?|\d+(_\d+)*\.|nan|inf|infinity)\s*$/i;

/**
 * Types a `-p` string as papermill does: True/False/None, then int, then float, else the string.
 * An int past 2^53 stays a string, since a JS number would round it.
 */
export function parsePapermillValue(s: string): unknown {
  if (s === 'True') return true;
  if (s === 'False') return false;
  if (s === 'None') return null;
  if (intPattern.test(s)) {
    const n = Number(s.replaceAll('_', ''));
    return Number.isSafeInteger(n) ? n : s;
  }
  if (floatPattern.test(s)) {
    const t = s.trim().toLowerCase().replace(/^\+/, '').replaceAll('_', '');
    if (/^-?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^-?nan$/.test(t)) return NaN;
    return Number(t);
  }
  return s;
}

export interface RunParamSources {
  /** `-f params.yml` files, lowest precedence. */
  files?: string[];
  /** `-y 'name: value'` YAML strings. */
  yaml?: string[];
  /** `-p name=value`, typed as papermill types them. */
  params?: Record<string, string>;
  /** `-r name=value`, raw strings, highest precedence. */
  raw?: Record<string, string>;
}

interface Given {
  value: unknown;
  from: string;
  diag?: Pick<Diagnostic, 'pos'>;
}

function readMapping(text: string, name: string, from: string, diags: Diagnostic[]): Map<string, Given> {
  const src = new SourceMap(text, name);
  const out = new Map<string, Given>();
  const errors = src.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    diags.push(...errors);
    return out;
  }
  const value: unknown = src.doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return out;
  if (typeof value !== 'object' || Array.isArray(value)) {
    diags.push({ severity: 'error', pos: src.at(0), message: `${from}: params must be a mapping of name: value` });
    return out;
  }
  for (const [k, v] of Object.entries(value)) out.set(k, { value: v, from, diag: { pos: src.keyPos([k]) } });
  return out;
}

/** The run's params, declared order; throws WorkflowError listing every problem. */
export function resolveRunParams(workflow: Workflow, o: RunParamSources): Record<string, unknown> {
  const diags: Diagnostic[] = [];
  const given = new Map<string, Given>();
  for (const file of o.files ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      diags.push({
        severity: 'error',
        message: `-f ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      });
      continue;
    }
    for (const [k, g] of readMapping(text, file, `-f ${file}`, diags)) given.set(k, g);
  }
  (o.yaml ?? []).forEach((y, i) => {
    for (const [k, g] of readMapping(y, `-y #${i + 1}`, '-y', diags)) given.set(k, g);
  });
  for (const [k, v] of Object.entries(o.params ?? {})) given.set(k, { value: parsePapermillValue(v), from: `-p ${k}=${v}` });
  for (const [k, v] of Object.entries(o.raw ?? {})) given.set(k, { value: v, from: `-r ${k}=${v}` });

  const declared = workflow.params;
  const out: Record<string, unknown> = {};
  for (const [name, g] of given) {
    const spec = declared[name];
    const error = (message: string, hint?: string): void => {
      diags.push({ severity: 'error', ...g.diag, message: `${message} (from ${g.from})`, hint });
    };
    if (!spec) {
      const names = Object.keys(declared);
      error(
        `unknown param "${name}"`,
        didYouMean(name, names) ?? (names.length ? `declared params: ${names.join(', ')}` : 'the workflow declares no params'),
      );
      continue;
    }
    const coerced = coerceToType(g.value, spec.type);
    if (!coerced) {
      error(`param "${name}" expects ${/^[aeiou]/.test(spec.type) ? 'an' : 'a'} ${spec.type}, got ${showValue(g.value)}`);
      continue;
    }
    if (spec.enum && !spec.enum.some((e) => e === coerced.value)) {
      const options = spec.enum.map(String);
      error(
        `param "${name}" must be one of ${options.join(', ')}, got ${showValue(coerced.value)}`,
        typeof coerced.value === 'string' ? didYouMean(coerced.value, options) : undefined,
      );
      continue;
    }
    out[name] = coerced.value;
  }
  const ordered: Record<string, unknown> = {};
  for (const spec of Object.values(declared)) {
    if (Object.hasOwn(out, spec.name)) ordered[spec.name] = out[spec.name];
    else if (given.has(spec.name)) continue;
    else if (spec.default !== undefined) ordered[spec.name] = spec.default;
    else if (spec.required) {
      diags.push({
        severity: 'error',
        message: `param "${spec.name}" is required and has no default`,
        hint: `pass it with -p ${spec.name}=VALUE`,
      });
    }
  }
  if (diags.length) throw new WorkflowError(diags);
  return ordered;
}

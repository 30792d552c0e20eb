// The `params:` block → ParamSpecs: types inferred or declared, defaults and enums checked.
import type { Diagnostic } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { matchesType, showValue, typeOfValue } from './param-types.js';
import type { RawParam } from './schema.js';
import { identifierPattern } from './schema.js';
import type { SourceMap } from './source-map.js';
import type { ParamSpec, ParamType } from './types.js';

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

export function buildParams(raw: Readonly<Record<string, RawParam>>, src: SourceMap, diags: Diagnostic[]): Record<string, ParamSpec> {
  const out: Record<string, ParamSpec> = {};
  const error = (path: (string | number)[], message: string, hint?: string, key = false): void => {
    diags.push({ severity: 'error', pos: key ? src.keyPos(path) : src.valuePos(path), message, hint });
  };
  for (const [name, p] of Object.entries(raw)) {
    const at = ['params', name];
    if (!new RegExp(identifierPattern).test(name)) {
      error(at, `param name "${name}" is not an identifier`, 'notebooks receive params as variables: use letters, digits and "_"', true);
    }
    const inferred = p.default === undefined || p.default === null ? undefined : typeOfValue(p.default);
    const type: ParamType = p.type ?? (inferred === 'null' ? undefined : inferred) ?? 'string';
    if (p.default !== undefined && p.default !== null && !matchesType(p.default, type)) {
      error([...at, 'default'], `params.${name}.default: ${showValue(p.default)} is not ${article(type)}`);
    }
    p.enum?.forEach((v, i) => {
      if (!matchesType(v, type)) error([...at, 'enum', i], `params.${name}.enum: ${showValue(v)} is not ${article(type)}`);
    });
    if (p.enum && p.default !== undefined && !p.enum.some((v) => v === p.default)) {
      const options = p.enum.map((v) => String(v));
      error(
        [...at, 'default'],
        `params.${name}.default: ${showValue(p.default)} is not one of ${options.join(', ')}`,
        typeof p.default === 'string' ? didYouMean(p.default, options) : undefined,
      );
    }
    if (p.required === true && p.default !== undefined) {
      error([...at, 'required'], `params.${name}: a required param cannot have a default`, 'drop `required: true` or the default');
    }
    out[name] = {
      name,
      type,
      required: p.required ?? p.default === undefined,
      pos: src.keyPos(at),
      ...(p.default !== undefined && { default: p.default }),
      ...(p.enum && { enum: p.enum }),
      ...(p.description !== undefined && { description: p.description }),
    };
  }
  return out;
}

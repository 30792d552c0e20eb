// The `params:` block → ParamSpecs: types inferred or declared, defaults and enums checked.
import type { Diagnostic } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { matchesType, showValue, typeOfValue } from './param-types.js';
import type { RawParam } from './schema.js';
import { identifierPattern } from './schema.js';
import type { SourceMap } from './source-map.js';
import { resolve } from 'node:path';
import { defaultSecretEnv } from './secrets.js';
import type { ParamSpec, ParamType, SecretSource } from './types.js';

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

export function buildParams(
  raw: Readonly<Record<string, RawParam>>,
  src: SourceMap,
  diags: Diagnostic[],
  /** The workflow file's folder: a secret's from_file is relative to it. */
  dir = '.',
): Record<string, ParamSpec> {
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
    const secret = buildSecret(name, p, type, at, error, dir);
    out[name] = {
      name,
      type,
      required: p.required ?? p.default === undefined,
      pos: src.keyPos(at),
      ...(p.default !== undefined && { default: p.default }),
      ...(p.enum && { enum: p.enum }),
      ...(p.description !== undefined && { description: p.description }),
      ...(secret && { secret }),
    };
  }
  return out;
}

/** A secret param's sources; only a string can be one, and nothing may show its value. */
function buildSecret(
  name: string,
  p: RawParam,
  type: ParamType,
  at: string[],
  error: (path: (string | number)[], message: string, hint?: string, key?: boolean) => void,
  dir: string,
): SecretSource | undefined {
  if (!p.secret) {
    for (const key of ['from_env', 'from_file'] as const) {
      if (p[key] !== undefined) error([...at, key], `params.${name}.${key} is only for a secret param`, 'add `secret: true`', true);
    }
    return undefined;
  }
  if (type !== 'string') error([...at, 'type'], `params.${name}: a secret param is a string, not ${article(type)}`);
  // An enum would list the possible values in the workflow, and in every error about them.
  if (p.enum) error([...at, 'enum'], `params.${name}: a secret param cannot have an enum`, 'drop the enum', true);
  return { fromEnv: p.from_env ?? defaultSecretEnv(name), ...(p.from_file !== undefined && { fromFile: resolve(dir, p.from_file) }) };
}

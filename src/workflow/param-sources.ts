// Parameters as command lines give them, read papermill's way: -f files < -y YAML < -p typed < -r raw.
// One reader for `flow run` and `flow exec`; `flow run` then checks them against the declared params.
import { readFileSync } from 'node:fs';
import { visit } from 'yaml';
import type { Diagnostic, SourcePos } from '../errors.js';
import { SourceMap } from './source-map.js';
import { WholeFloat } from './whole-float.js';

/** `NAME=VALUE` or `NAME VALUE` pairs, in the order given (the last of a name wins). */
export type ParamPairs = Record<string, string> | readonly (readonly [string, string])[];

export interface ParamSources {
  /** `-f params.yml`: YAML files of `name: value`, lowest precedence. */
  files?: readonly string[];
  /** `-y 'name: value'`: YAML mappings. */
  yaml?: readonly string[];
  /** `-p`: values typed as papermill types them (True/False/None, int, float, else the string). */
  params?: ParamPairs;
  /** `-r`: values kept as strings, highest precedence. */
  raw?: ParamPairs;
}

/** One parameter as given: its value, where it came from (for messages), and the text a -p/-r had. */
export interface GivenParam {
  value: unknown;
  /** `-p rate=2.0`, `-f params.yml`, … */
  from: string;
  /** The value as typed on the command line (-p, -r): a string param takes it as it is (`007`). */
  text?: string;
  pos?: SourcePos;
}

export interface ReadParams {
  given: Map<string, GivenParam>;
  /** Unreadable files, YAML that is not valid or not a mapping. */
  diagnostics: Diagnostic[];
}

const INT = /^\s*[+-]?\d+(_\d+)*\s*$/;
const FLOAT = /^\s*[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*(e[+-]?\d+)?|\d+(_\d+)*\.|nan|inf|infinity)\s*$/i;

/**
 * A `-p` string typed as papermill types it: True/False/None, then int (a BigInt past 2^53, which
 * papermill keeps exact as a Python int), then float (a whole one, `1.0` or `1e3`, a WholeFloat:
 * papermill injects `1.0`), else the string itself.
 */
export function typePapermillValue(s: string): unknown {
  if (s === 'True') return true;
  if (s === 'False') return false;
  if (s === 'None') return null;
  if (INT.test(s)) {
    const n = BigInt(s.trim().replaceAll('_', ''));
    return n >= -(2n ** 53n) && n <= 2n ** 53n ? Number(n) : n;
  }
  if (FLOAT.test(s)) {
    const t = s.trim().toLowerCase().replace(/^\+/, '').replaceAll('_', '');
    if (/^-?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Number.POSITIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (/^-?nan$/.test(t)) return Number.NaN;
    const v = Number(t);
    return Number.isInteger(v) ? new WholeFloat(v) : v;
  }
  return s;
}

/** Reads every source, in precedence order; problems are returned, not thrown, so that all are reported at once. */
export function readParamSources(src: ParamSources): ReadParams {
  const given = new Map<string, GivenParam>();
  const diagnostics: Diagnostic[] = [];
  for (const file of src.files ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      diagnostics.push({ severity: 'error', message: `-f ${file}: cannot read it (${why})` });
      continue;
    }
    readMapping(text, file, `-f ${file}`, given, diagnostics);
  }
  for (const [i, text] of (src.yaml ?? []).entries()) {
    readMapping(text, `-y #${i + 1}`, '-y', given, diagnostics);
  }
  for (const [name, text] of pairs(src.params)) given.set(name, { value: typePapermillValue(text), from: `-p ${name}=${text}`, text });
  for (const [name, text] of pairs(src.raw)) given.set(name, { value: text, from: `-r ${name}=${text}`, text });
  return { given, diagnostics };
}

function pairs(p: ParamPairs | undefined): (readonly [string, string])[] {
  if (!p) return [];
  return Array.isArray(p) ? [...(p as readonly (readonly [string, string])[])] : Object.entries(p);
}

/**
 * A YAML mapping of parameters, typed as papermill's PyYAML reads it: `1.0` stays a float (a
 * WholeFloat), integers stay exact past 2^53 (BigInt).
 */
function readMapping(text: string, name: string, from: string, into: Map<string, GivenParam>, diagnostics: Diagnostic[]): void {
  const map = new SourceMap(text, name, { intAsBigInt: true });
  const errors = map.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    diagnostics.push(...errors);
    return;
  }
  visit(map.doc, {
    Scalar(_, node) {
      const v = node.value;
      if (typeof v === 'number' && Number.isInteger(v) && node.type === 'PLAIN' && /[.eE]/.test(node.source ?? '')) {
        node.value = new WholeFloat(v);
      }
    },
  });
  const value = exactInts(map.doc.toJS({ maxAliasCount: 100 }));
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof WholeFloat) {
    diagnostics.push({
      severity: 'error',
      pos: map.at(0),
      message: 'params must be a mapping of parameter names to values',
      hint: 'e.g. alpha: 0.5',
    });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    into.set(key, { value: v, from, pos: map.keyPos([key]) });
  }
}

/** YAML integers within ±2^53 as plain numbers, larger ones kept exact (BigInt). */
function exactInts(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
  if (Array.isArray(v)) return v.map(exactInts);
  if (v !== null && typeof v === 'object' && !(v instanceof Date) && !(v instanceof WholeFloat)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = exactInts(x);
    return o;
  }
  return v;
}

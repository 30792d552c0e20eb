// Values against declared types: checks, inference and the coercion of command-line strings.
import type { OutputType, ParamType } from './types.js';
import { plainValue, WholeFloat } from './whole-float.js';

/** The type a value has in the workflow's vocabulary. */
export function typeOfValue(v: unknown): ParamType | 'null' {
  if (v === null || v === undefined) return 'null';
  if (v instanceof WholeFloat) return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  return 'object';
}

/** True when `v` is a value of type `t` (an integer is also a number). */
export function matchesType(v: unknown, t: OutputType): boolean {
  if (t === 'any') return true;
  const actual = typeOfValue(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

/** How a value reads in a message: strings quoted, the rest as YAML/JSON would write them. */
export function showValue(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return 'nothing';
  return JSON.stringify(v) ?? String(v);
}

/**
 * Converts a value given on the command line (already typed papermill's way) to the declared
 * type when that is lossless: "2025" → 2025 for an integer, 3 → 3 for a number, 1 → "1" for a
 * string (`text`, what was typed, when known: `-p code=007` is "007"). Returns undefined when it cannot.
 */
export function coerceToType(v: unknown, t: ParamType, text?: string): { value: unknown } | undefined {
  if (matchesType(v, t)) return { value: t === 'integer' ? plainValue(v) : v };
  switch (t) {
    case 'string':
      // `-p period=1` is meant as the string "1" when the param is a string.
      if (text !== undefined) return { value: text };
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return { value: String(v) };
      if (v instanceof WholeFloat) return { value: String(v.value) };
      if (v === null) return { value: 'None' };
      return undefined;
    case 'integer':
    case 'number':
      // `-p year=2025.0` for an integer: a whole float is that integer.
      if (v instanceof WholeFloat) return { value: v.value };
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) {
        const n = Number(v);
        return t === 'integer' && !Number.isInteger(n) ? undefined : { value: n };
      }
      return undefined;
    case 'boolean':
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return { value: v.toLowerCase() === 'true' };
      return undefined;
    default:
      return undefined;
  }
}

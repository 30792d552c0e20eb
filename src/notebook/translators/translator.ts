// What a parameter translator is, and the walk over JSON-like values that every language shares.
import { UsageError } from '../../errors.js';
import type { OutputType } from '../../workflow/types.js';
import { WholeFloat } from '../../workflow/whole-float.js';

/** Turns parameter values into source code of one kernel language (papermill's Translator). */
export interface Translator {
  /** Display name used in messages, e.g. `Python`. */
  readonly language: string;
  /** A comment line, e.g. `# Parameters`. */
  comment(text: string): string;
  /** One assignment statement (a line, without its newline). */
  assign(name: string, code: string): string;
  /** The value as an expression; `where` names it in errors, e.g. `opts.size[2]`. */
  translate(value: unknown, where: string): string;
  /** Whether `name` can be assigned as is. @default any identifier */
  isValidName?(name: string): boolean;
  /**
   * Code that sets environment variables of the kernel's process (a node's `env:`), run before
   * the first cell; it shows no result. Absent: this language cannot, and a workflow asking for
   * it is refused at load time.
   */
  setEnvironment?(vars: Readonly<Record<string, string>>): string;
  /** Whether `name` can be set by `setEnvironment`. @default any name */
  isValidEnvName?(name: string): boolean;
  /**
   * Code that prints one line on stdout: PROBE_MARKER, then JSON `{name: {"value": v} |
   * {"error": why}}` for each name that is a global variable (missing names are absent), as
   * parseOutputsProbe reads it. Absent: declared outputs come from scrapbook scraps only.
   */
  readVariables?(names: readonly string[]): string;
  /** The declared output types `readVariables` can produce. @default every type */
  readonly readableTypes?: readonly OutputType[];
  /**
   * Code run silently before the first cell that makes the kernel send its output in messages
   * of a bounded size, however fast a cell prints (see python.ts). Absent: sent as the kernel does.
   */
  readonly boundOutput?: string;
}

/** How one language writes each kind of value; `translateWith` does the walk. */
export interface ValueSyntax {
  language: string;
  none(): string;
  bool(v: boolean): string;
  /** An integer, exactly, as decimal digits (may exceed 2^53). */
  int(digits: string): string;
  /** A float that is not an integer in JS's safe range: finite or not, maybe -0. */
  float(v: number): string;
  str(v: string, where: string): string;
  list(items: string[]): string;
  dict(entries: [key: string, code: string][], where: string): string;
}

/**
 * Dispatches a JSON-like value on its type. A JS number that is a safe integer becomes an int,
 * any other number a float; a BigInt is always an int (exact, any size).
 */
export function translateWith(syntax: ValueSyntax, value: unknown, where: string): string {
  if (value === null) return syntax.none();
  if (typeof value === 'string') return syntax.str(value, where);
  if (typeof value === 'boolean') return syntax.bool(value);
  if (typeof value === 'bigint') return syntax.int(value.toString());
  if (value instanceof WholeFloat) return syntax.float(value.value);
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? syntax.int(String(value)) : syntax.float(value);
  }
  if (value instanceof Date) return syntax.str(value.toISOString(), where);
  if (Array.isArray(value)) return syntax.list(value.map((v, i) => translateWith(syntax, v, `${where}[${i}]`)));
  if ((typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) || isNullProto(value)) {
    const entries = Object.entries(value as object).map(([k, v]): [string, string] => [k, translateWith(syntax, v, `${where}.${k}`)]);
    return syntax.dict(entries, where);
  }
  const kind = value === undefined ? 'undefined' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new UsageError(`parameter ${where}: a ${kind} value cannot be passed to a ${syntax.language} notebook`);
}

function isNullProto(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === null;
}

/** A finite float's shortest round-trip digits; integral ones get `.0` so that they stay floats. */
export function floatDigits(v: number): string {
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** Lowercase hex of a code point, zero-padded to `width` digits. */
export function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** Code points that are safe to write raw in source: not control, format, surrogate, separator (except space). */
export const UNSAFE_CHAR = /(?! )[\p{C}\p{Z}]/u;

export function refuse(where: string, language: string, what: string): never {
  throw new UsageError(`parameter ${where}: ${what} cannot be passed to a ${language} notebook`);
}

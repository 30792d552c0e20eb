// Values crossing into CEL and back: CEL integers are BigInt; flow's values are JSON-like.
import type { OutputType } from './types.js';
import { WholeFloat } from './whole-float.js';

/** Declared types of reference paths: `params.year`, `nodes.extract.outputs.rows`, `outputs.errors`. */
export type ExprTypes = Readonly<Record<string, OutputType>>;

/**
 * A JS value as CEL should see it. The declared type decides between int and double, because a
 * `number` that happens to be whole (2.0 read back from JSON as 2) must stay a double.
 * Copies into plain objects so that nothing but own data reaches the evaluator.
 */
export function toCel(v: unknown, type?: OutputType): unknown {
  if (v instanceof WholeFloat) return v.value;
  if (typeof v === 'number') {
    if (type === 'number') return v;
    return Number.isInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) {
    // A matrix node's outputs are a list of the declared element type.
    const elementType = type === 'integer' || type === 'number' ? type : undefined;
    return v.map((x) => toCel(x, elementType));
  }
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toCel(x);
    return out;
  }
  return v;
}

/** Past 2^53 a CEL integer cannot become a JS number exactly. */
export class UnsafeIntegerError extends Error {
  constructor(readonly value: bigint) {
    super(`the result ${value} is beyond ±2^53 (9007199254740991) and would lose precision as a number`);
  }
}

/**
 * A CEL result as a plain JS value: BigInt → number (throws UnsafeIntegerError past 2^53, rather
 * than silently rounding), Map → object, bytes → list of numbers, timestamps → ISO strings.
 */
export function fromCel(v: unknown): unknown {
  // CEL integers are BigInt: a JS number is a CEL double, and a whole one stays a float (2.0).
  if (typeof v === 'number' && Number.isInteger(v)) return new WholeFloat(v);
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new UnsafeIntegerError(v);
    return Number(v);
  }
  if (Array.isArray(v)) return v.map(fromCel);
  if (v instanceof Uint8Array) return Array.from(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(k)] = fromCel(x);
    return out;
  }
  if (v instanceof WholeFloat) return v;
  if (v !== null && typeof v === 'object') {
    // Optional values (optional chaining) and CEL's uint wrapper.
    const o = v as { hasValue?: () => boolean; value?: () => unknown; valueOf?: () => unknown };
    if (typeof o.hasValue === 'function' && typeof o.value === 'function') return o.hasValue() ? fromCel(o.value()) : null;
    if (v.constructor !== Object) {
      const prim = o.valueOf?.();
      if (prim !== v) return fromCel(prim);
      return String(v);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromCel(x);
    return out;
  }
  return v;
}

/** A value interpolated into a string: strings as they are, the rest as JSON. */
export function interpolate(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

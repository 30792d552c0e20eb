// Secret params: what stands for them wherever flow keeps or shows a value, and the mask that
// replaces their values with *** in everything a run writes or prints, as GitHub Actions masks logs.

/** What a masked value becomes. */
export const MASK = '***';

/** Shorter secrets are refused: masking them would blank out ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/** `salt` → `FLOW_SECRET_SALT`. */
export function defaultSecretEnv(name: string): string {
  return `FLOW_SECRET_${name.toUpperCase()}`;
}

// The stand-in is what the engine, expressions and templates see instead of the value: a string,
// so `${{ params.salt }}` and `"${{ params.salt }}-x"` type-check and render as for any string
// param. Only the kernel executor swaps it for the value, just before it is set in the kernel.
const TOKEN_START = '\u0001flow-secret:';
const TOKEN_END = '\u0001';
const TOKEN = /\u0001flow-secret:([A-Za-z_][A-Za-z0-9_]*)\u0001/g;

/** The stand-in for secret param `name`. */
export function secretToken(name: string): string {
  return `${TOKEN_START}${name}${TOKEN_END}`;
}

/** Whether `value` holds a secret's stand-in (a param given one is a secret too). */
export function holdsSecret(value: unknown): boolean {
  return typeof value === 'string' && value.includes(TOKEN_START);
}

/** The secrets of one run: their values, by param name. */
export class Secrets {
  private readonly values: Map<string, string>;
  /** Longest first: a secret that contains another is masked whole. */
  private readonly ordered: string[];

  constructor(values: ReadonlyMap<string, string> | Record<string, string> = {}) {
    this.values = new Map(values instanceof Map ? values : Object.entries(values));
    this.ordered = [...new Set(this.values.values())].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.size;
  }

  /** `text` with every secret's value, and every stand-in, replaced by ***. */
  mask(text: string): string {
    let out = text.includes(TOKEN_START) ? text.replace(TOKEN, MASK) : text;
    for (const v of this.ordered) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  /** A copy of `value` with every string in it (keys too) masked. */
  maskDeep<T>(value: T): T {
    return maskValue(value, (s) => this.mask(s)) as T;
  }

  /** `value` with each stand-in replaced by its secret's value: for the kernel, and nothing else. */
  reveal(value: string): string {
    return value.replace(TOKEN, (token, name: string) => this.values.get(name) ?? token);
  }
}

function maskValue(v: unknown, mask: (s: string) => string): unknown {
  if (typeof v === 'string') return mask(v);
  if (Array.isArray(v)) return v.map((x) => maskValue(x, mask));
  if (v === null || typeof v !== 'object') return v;
  // Class instances (WholeFloat, Date) carry no strings of a notebook's: kept as they are.
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[mask(k)] = maskValue(x, mask);
  return out;
}

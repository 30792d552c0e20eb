// Parameters from the command line, papermill's way: -f files < -y YAML < -p typed < -r raw.
import { readFileSync } from 'node:fs';
import { parseDocument, visit } from 'yaml';
import { UsageError } from '../errors.js';
import { WholeFloat } from '../notebook/translators/translator.js';
import { parsePapermillValue } from '../workflow/run-params.js';

export interface CliParamSources {
  files?: string[];
  yaml?: string[];
  /** Flat [name, value, name, value…] as yargs gives `-p NAME VALUE`. */
  params?: string[];
  raw?: string[];
}

export function collectCliParams(src: CliParamSources): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const file of src.files ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read parameters file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    Object.assign(out, asMapping(text, `parameters file ${file}`));
  }
  for (const y of src.yaml ?? []) Object.assign(out, asMapping(y, '-y'));
  for (const [name, value] of pairs(src.params, '-p')) out[name] = typePapermillValue(value);
  for (const [name, value] of pairs(src.raw, '-r')) out[name] = value;
  return out;
}

/**
 * parsePapermillValue, except that an integer too big for a JS number becomes a BigInt (papermill
 * makes it a Python int; a string, or a rounded number, would not round-trip), and a whole float
 * (`1.0`, `1e3`) stays a float as in papermill.
 */
function typePapermillValue(s: string): unknown {
  const v = parsePapermillValue(s);
  if (typeof v === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(s)) return BigInt(s.trim().replaceAll('_', ''));
  if (typeof v === 'number' && Number.isInteger(v) && !/^\s*[+-]?\d+(_\d+)*\s*$/.test(s)) return new WholeFloat(v);
  return v;
}

/** YAML integers past 2^53 stay exact (BigInt), as PyYAML keeps them; the rest are plain numbers. */
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

function asMapping(text: string, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    const parsed = parseDocument(text, { intAsBigInt: true });
    if (parsed.errors.length > 0) throw parsed.errors[0];
    // `1.0` is a float in YAML (and in papermill's PyYAML) though a JS number cannot say so.
    visit(parsed, {
      Scalar(_, node) {
        const v = node.value;
        if (typeof v === 'number' && Number.isInteger(v) && node.type === 'PLAIN' && /[.eE]/.test(node.source ?? '')) {
          node.value = new WholeFloat(v);
        }
      },
    });
    doc = exactInts(parsed.toJS());
  } catch (err) {
    throw new UsageError(`${what} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`${what} must be a mapping of parameter names to values`, 'e.g. alpha: 0.5');
  }
  return doc as Record<string, unknown>;
}

function pairs(flat: string[] | undefined, flag: string): [string, string][] {
  if (!flat) return [];
  if (flat.length % 2 !== 0) throw new UsageError(`${flag} takes a NAME and a VALUE`, `e.g. ${flag} alpha 0.5`);
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([String(flat[i]), String(flat[i + 1])]);
  return out;
}

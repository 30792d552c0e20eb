// Reads values a notebook recorded with scrapbook (`sb.glue`), and checks them against declared types.
import type { OutputType } from '../workflow/types.js';
import type { Notebook } from './types.js';

// Declared outputs not recorded with scrapbook are read from kernel variables (outputs-probe.ts).
export { outputsProbeCode, parseOutputsProbe, type ProbeResult } from './outputs-probe.js';

/** scrapbook's mimetype prefix: `application/scrapbook.scrap.<encoder>+json`. */
export const SCRAP_MIME_PREFIX = 'application/scrapbook.scrap.';
/** Papermill's older `pm.record()` mimetype, which scrapbook still reads. */
const RECORD_MIME = 'application/papermill.record+json';

/**
 * Every value recorded in `nb`, by name; the last one of a name wins. Decoded as scrapbook does:
 * the `json` encoder (a string payload that is itself JSON is parsed) and the `text` encoder.
 * Scraps of other encoders (pandas/arrow, display-only) cannot be decoded here and are left out.
 */
export function collectScraps(nb: Notebook): Record<string, unknown> {
  const scraps: Record<string, unknown> = {};
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const out of cell.outputs) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      for (const [mime, payload] of Object.entries(out.data ?? {})) {
        if (mime === RECORD_MIME && isObject(payload)) {
          const [first] = Object.entries(payload);
          if (first) scraps[first[0]] = first[1];
          continue;
        }
        if (!mime.startsWith(SCRAP_MIME_PREFIX) || !isObject(payload) || typeof payload.name !== 'string') continue;
        const encoder = typeof payload.encoder === 'string' ? payload.encoder : mime.slice(SCRAP_MIME_PREFIX.length, -'+json'.length);
        if (encoder === 'json') scraps[payload.name] = decodeJson(payload.data);
        else if (encoder === 'text') scraps[payload.name] = typeof payload.data === 'string' ? payload.data : JSON.stringify(payload.data);
      }
    }
  }
  return scraps;
}

/** scrapbook's JsonEncoder.decode: a string that parses as JSON was JSON. */
function decodeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Undefined when `value` fits `type`, else a message naming both, e.g.
 * `output "rows" should be integer but the notebook recorded a string ("12")`.
 * `integer` takes whole numbers and BigInts; `number` any number, NaN and infinities included.
 */
export function checkOutputType(name: string, value: unknown, type: OutputType): string | undefined {
  if (fits(value, type)) return undefined;
  return `output "${name}" should be ${type} but the notebook recorded ${describeValue(value)}`;
}

function fits(v: unknown, type: OutputType): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'number':
      return typeof v === 'bigint' || typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'list':
      return Array.isArray(v);
    case 'object':
      return isObject(v);
  }
}

/** `a string ("12")`, `a float (1.5)`, `null`… with long values cut short. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return `a string (${short(JSON.stringify(v))})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  if (typeof v === 'bigint') return `an integer (${short(v.toString())})`;
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return `an integer (${v})`;
    return `a float (${Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v})`;
  }
  const json = short(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? '');
  return Array.isArray(v) ? `a list (${json})` : `an object (${json})`;
}

function short(s: string, max = 60): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

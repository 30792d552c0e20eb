// Reads declared outputs that were not recorded with scrapbook from kernel variables after the last
// cell: the Python probe (each translator's readVariables prints the same line), and its parser.
import { pythonSource } from '../python-package.js';

/** Starts the one line the probe prints; nothing else a notebook prints looks like it. */
export const PROBE_MARKER = '\u001e__flow_outputs__ ';

/**
 * Python that prints one line: the marker, then JSON `{name: {"value": v} | {"error": why}}` for
 * each name that is a global variable (missing names are absent). Ints outside ±2^53 and non-finite
 * floats are tagged so they come back exactly; numpy scalars and arrays are converted. The code is
 * python/flow_jupyter/outputs_probe.py, sent as source (the kernel may not see flow's files). It
 * defines nothing in the user's namespace and shows no result, so run it with `store_history: false`.
 */
export function outputsProbeCode(names: string[]): string {
  return `${pythonSource('outputs_probe.py')}
_flow_outputs_probe(${JSON.stringify(names)}, ${JSON.stringify(PROBE_MARKER)})
del _flow_outputs_probe
`;
}

export interface ProbeResult {
  /** Variables found and converted, by name. */
  values: Record<string, unknown>;
  /** Variables found that could not be converted, with why (e.g. `DataFrame is not JSON-serializable`). */
  errors: Record<string, string>;
}

/** Parses the probe's stdout; undefined when the marker line is not in it. */
export function parseOutputsProbe(stdout: string): ProbeResult | undefined {
  const start = stdout.lastIndexOf(PROBE_MARKER);
  if (start < 0) return undefined;
  const end = stdout.indexOf('\n', start);
  const json = stdout.slice(start + PROBE_MARKER.length, end < 0 ? undefined : end);
  const raw = JSON.parse(json) as Record<string, { value?: unknown; error?: string }>;
  const result: ProbeResult = { values: {}, errors: {} };
  for (const [name, entry] of Object.entries(raw)) {
    if (typeof entry.error === 'string') result.errors[name] = entry.error;
    else result.values[name] = decode(entry.value);
  }
  return result;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o.$flow === 'string') {
    if (o.$flow === 'int') return BigInt(o.value as string);
    if (o.$flow === 'float') return o.value === 'nan' ? NaN : o.value === 'inf' ? Infinity : -Infinity;
    // From kernels without JSON of their own (bash): strings as base64 of their UTF-8 bytes.
    if (o.$flow === 'b64') return fromBase64(o.value as string);
    if (o.$flow === 'b64dict') {
      const pairs = (o.value as [string, string][]).map(([k, x]) => [fromBase64(k), x]);
      return decodeEntries(Object.fromEntries(pairs), fromBase64);
    }
    return decodeEntries(o.value as Record<string, unknown>);
  }
  return decodeEntries(o);
}

function decodeEntries(o: Record<string, unknown>, decodeValue: (v: unknown) => unknown = decode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // defineProperty: a key named __proto__ must stay a key
  for (const [k, x] of Object.entries(o)) {
    Object.defineProperty(out, k, { value: decodeValue(x), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function fromBase64(s: unknown): string {
  return Buffer.from(String(s), 'base64').toString('utf8');
}

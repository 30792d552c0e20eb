// flow exec's parameters, papermill's way (-f < -y < -p < -r), read by the reader `flow run` uses too.
import { formatDiagnostic, UsageError } from '../errors.js';
import { readParamSources } from '../workflow/param-sources.js';

export interface CliParamSources {
  files?: string[];
  yaml?: string[];
  /** Flat [name, value, name, value…] as yargs gives `-p NAME VALUE`. */
  params?: string[];
  raw?: string[];
}

/** The notebook's parameters; a UsageError (exit 2) names every problem. */
export function collectCliParams(src: CliParamSources): Record<string, unknown> {
  const { given, diagnostics } = readParamSources({
    files: src.files,
    yaml: src.yaml,
    params: pairs(src.params, '-p'),
    raw: pairs(src.raw, '-r'),
  });
  if (diagnostics.length > 0) throw new UsageError(diagnostics.map(formatDiagnostic).join('\n'));
  return Object.fromEntries([...given].map(([name, g]) => [name, g.value]));
}

function pairs(flat: string[] | undefined, flag: string): [string, string][] {
  if (!flat) return [];
  if (flat.length % 2 !== 0) throw new UsageError(`${flag} takes a NAME and a VALUE`, `e.g. ${flag} alpha 0.5`);
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([String(flat[i]), String(flat[i + 1])]);
  return out;
}

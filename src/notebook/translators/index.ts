// Parameter translators keyed by kernel language (papermill's registry), and the injected cell's source.
import { UsageError } from '../../errors.js';
import { bashTranslator } from './bash.js';
import { juliaTranslator } from './julia.js';
import { pythonTranslator } from './python.js';
import { rTranslator } from './r.js';
import type { Translator } from './translator.js';

export type { Translator } from './translator.js';

/** Keys are lowercase kernel languages or kernel names, as papermill registers them. */
const registry = new Map<string, Translator>([
  ['python', pythonTranslator],
  ['r', rTranslator],
  ['julia', juliaTranslator],
  ['bash', bashTranslator],
  ['pysparkkernel', pythonTranslator],
  ['sparkrkernel', rTranslator],
]);

/** Adds or replaces the translator for a kernel language or kernel name. */
export function registerTranslator(key: string, translator: Translator): void {
  registry.set(key.toLowerCase(), translator);
}

/** The translator for a kernel, or undefined when flow has none (see findTranslator). */
export function lookupTranslator(language: string, kernelName?: string): Translator | undefined {
  return (kernelName !== undefined ? registry.get(kernelName.toLowerCase()) : undefined) ?? registry.get(language.toLowerCase());
}

/** The translator for a kernel: by kernel name first, then by language (papermill's order). */
export function findTranslator(language: string, kernelName?: string): Translator {
  const t = lookupTranslator(language, kernelName);
  if (t) return t;
  const known = [...new Set([...registry.values()].map((x) => x.language))].join(', ');
  throw new UsageError(
    `no parameter translator for ${kernelName ? `kernel "${kernelName}" or ` : ''}language "${language}"`,
    `flow can pass parameters to ${known} notebooks`,
  );
}

/**
 * The injected cell's source, in papermill's layout: the comment line, then one assignment per
 * line, each ending in a newline.
 */
export function translateParameters(
  language: string,
  params: Record<string, unknown>,
  options: { kernelName?: string; comment?: string } = {},
): string {
  const t = findTranslator(language, options.kernelName);
  let out = `${t.comment(options.comment ?? 'Parameters')}\n`;
  for (const [name, value] of Object.entries(params)) out += `${t.assign(name, t.translate(value, name))}\n`;
  return out;
}

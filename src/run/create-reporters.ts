// Reporters by name, combined into one: the CLI's and the library's entry point to output. Ink loads lazily.
import { createJsonReporter } from '../report/json.js';
import { createJunitReporter } from '../report/junit.js';
import { createPlainReporter } from '../report/plain.js';
import { combineReporters, resolveReporterName, shouldColor, type Reporter, type ReporterOptions } from '../report/reporter.js';

/** The reporter for a run: the terminal one chosen by name, plus JUnit when asked. */
export async function createReporters(opts: ReporterOptions): Promise<Reporter> {
  const env = opts.env ?? {};
  const name = resolveReporterName(opts.reporter ?? 'auto', opts.stdout, env);
  const verbose = opts.verbose ?? false;
  const reporters: Reporter[] = [];
  if (name === 'ink') {
    // Ink + React cost ≈ 0.45 s to import: only a live terminal pays for them.
    const { createInkReporter } = await import('../ui/ink-reporter.js');
    reporters.push(await createInkReporter({ stdout: opts.stdout, verbose }));
  } else if (name === 'json') {
    reporters.push(createJsonReporter({ out: opts.stdout }));
  } else {
    reporters.push(createPlainReporter({ out: opts.stdout, color: shouldColor(opts.stdout, env), verbose }));
  }
  if (opts.junit) reporters.push(createJunitReporter({ file: opts.junit }));
  return reporters.length === 1 ? reporters[0] : combineReporters(reporters);
}

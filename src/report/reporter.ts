// Reporters by name, combined into one: the CLI's only entry point to output. Ink loads lazily.
import type { RunEvent } from '../engine/events.js';
import { createJsonReporter } from './json.js';
import { createJunitReporter } from './junit.js';
import { createPlainReporter } from './plain.js';

/** Receives every RunEvent of a run, in order; close() once after the last one. */
export interface Reporter {
  onEvent(ev: RunEvent): void;
  /** Flushes, stops a live view, writes what is written at the end (a JUnit file). */
  close(): Promise<void>;
}

/** Where text reporters write: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

export type ReporterName = 'auto' | 'ink' | 'plain' | 'json';

export interface ReporterOptions {
  /** `auto`: the live Ink view on an interactive terminal outside CI, plain lines otherwise. @default 'auto' */
  reporter?: ReporterName;
  /** Also write a JUnit XML report to this file when the run ends. */
  junit?: string;
  /** Show what notebooks print. @default false */
  verbose?: boolean;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
}

/** `auto` resolved: Ink only where someone watches a terminal that can redraw. */
export function resolveReporterName(
  name: ReporterName,
  stdout: Pick<NodeJS.WriteStream, 'isTTY'>,
  env: NodeJS.ProcessEnv,
): Exclude<ReporterName, 'auto'> {
  if (name !== 'auto') return name;
  return stdout.isTTY === true && !isCi(env) && env.TERM !== 'dumb' ? 'ink' : 'plain';
}

/** NO_COLOR (non-empty) wins, then FORCE_COLOR, then whether stdout is a terminal. */
export function shouldColor(stdout: Pick<NodeJS.WriteStream, 'isTTY'>, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stdout.isTTY === true && env.TERM !== 'dumb';
}

/** Fans events out to several reporters; closes them in order (the live view first lets go of the terminal). */
export function combineReporters(reporters: Reporter[]): Reporter {
  return {
    onEvent(ev) {
      for (const r of reporters) r.onEvent(ev);
    },
    async close() {
      for (const r of reporters) await r.close();
    },
  };
}

/** The reporter for a run: the terminal one chosen by name, plus JUnit when asked. */
export async function createReporters(opts: ReporterOptions): Promise<Reporter> {
  const name = resolveReporterName(opts.reporter ?? 'auto', opts.stdout, opts.env);
  const verbose = opts.verbose ?? false;
  const reporters: Reporter[] = [];
  if (name === 'ink') {
    // Ink + React cost ≈ 0.45 s to import: only a live terminal pays for them.
    const { createInkReporter } = await import('./ink.js');
    reporters.push(await createInkReporter({ stdout: opts.stdout, verbose }));
  } else if (name === 'json') {
    reporters.push(createJsonReporter({ out: opts.stdout }));
  } else {
    reporters.push(createPlainReporter({ out: opts.stdout, color: shouldColor(opts.stdout, opts.env), verbose }));
  }
  if (opts.junit) reporters.push(createJunitReporter({ file: opts.junit }));
  return reporters.length === 1 ? reporters[0] : combineReporters(reporters);
}

// What a reporter is, how `auto` picks one, and several combined into one (createReporters builds them).
import type { RunEvent } from '../events/run-event.js';

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
  /** Where the reporter writes: a terminal gets the live view under `auto`. */
  stdout: NodeJS.WriteStream;
  /** Read for CI, NO_COLOR, FORCE_COLOR and TERM. @default {} (none set) */
  env?: NodeJS.ProcessEnv;
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

/**
 * A reporter still being created (loading the live view takes ≈0.45 s, which can overlap the
 * run's start): events wait for it, in order; close() waits for it too.
 */
export function deferReporter(pending: Promise<Reporter>): Reporter {
  let ready: Reporter | undefined;
  const queued: RunEvent[] = [];
  const settled = pending.then((r) => {
    ready = r;
    for (const ev of queued.splice(0)) r.onEvent(ev);
    return r;
  });
  settled.catch(() => undefined); // rethrown by close()
  return {
    onEvent(ev) {
      if (ready) ready.onEvent(ev);
      else queued.push(ev);
    },
    async close() {
      await (await settled).close();
    },
  };
}

// The Ink reporter: the live terminal view. Loaded only through a dynamic import (Ink + React ≈ 0.45 s).
import { render } from 'ink';
import { createElement, Fragment } from 'react';
import { LiveApp } from './LiveApp.js';
import { createRunStore } from './run-store.js';
import { StderrBridge } from './StderrBridge.js';
import type { Reporter } from '../report/reporter.js';
import { guardReflow } from '../report/reflow-guard.js';
import { routeStderr } from '../report/route-stderr.js';

export interface InkReporterOptions {
  stdout: NodeJS.WriteStream;
  /** Show the last lines running cells print. @default false */
  verbose?: boolean;
  /**
   * The terminal's stderr. When it is a terminal too, text written to it while the view is
   * live goes through Ink (see routeStderr). @default process.stderr
   */
  stderr?: NodeJS.WriteStream;
}

export async function createInkReporter(opts: InkReporterOptions): Promise<Reporter> {
  const store = createRunStore();
  const stderr = opts.stderr ?? process.stderr;
  const route = opts.stdout.isTTY && stderr.isTTY ? routeStderr(stderr) : undefined;
  const stdout = opts.stdout.isTTY ? guardReflow(opts.stdout) : undefined;
  const app = createElement(LiveApp, { store, verbose: opts.verbose ?? false, endLayout: 'scrollback' });
  const instance = render(route ? createElement(Fragment, null, createElement(StderrBridge, { onWriter: route.setWriter }), app) : app, {
    stdout: stdout ?? opts.stdout,
    // Ink's own writes to stderr must reach the terminal, not come back through the route.
    ...(route ? { stderr: route.direct } : {}),
    // flow handles SIGINT itself (interrupt kernels, save notebooks); Ink must not exit on it.
    exitOnCtrlC: false,
  });
  return {
    onEvent(ev) {
      store.dispatch(ev);
    },
    async close() {
      store.flush();
      // React commits the last update and runs effects on its scheduler's next tasks: let it,
      // so that the final frame (the summary) is what stays on the terminal.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      const { runId, runDir } = store.getState();
      // A run that never started (it failed before its first event) leaves no "starting…" behind.
      if (!runId) instance.clear();
      instance.unmount();
      await instance.waitUntilExit();
      route?.restore();
      // Written outside Ink: Ink would break a path longer than the terminal with hard newlines,
      // and people copy this line to open the record.
      if (runId) opts.stdout.write(`run directory: ${runDir}\n`);
    },
  };
}

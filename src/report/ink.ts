// The Ink reporter: the live terminal view. Loaded only through a dynamic import (Ink + React ≈ 0.45 s).
import { render } from 'ink';
import { createElement } from 'react';
import { LiveApp } from '../ui/LiveApp.js';
import { createRunStore } from '../ui/run-store.js';
import type { Reporter } from './reporter.js';

export interface InkReporterOptions {
  stdout: NodeJS.WriteStream;
  /** Show the last lines running cells print. @default false */
  verbose?: boolean;
}

export async function createInkReporter(opts: InkReporterOptions): Promise<Reporter> {
  const store = createRunStore();
  const instance = render(createElement(LiveApp, { store, verbose: opts.verbose ?? false }), {
    stdout: opts.stdout,
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
      // A run that never started (it failed before its first event) leaves no "starting…" behind.
      if (!store.getState().runId) instance.clear();
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

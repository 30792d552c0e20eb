// The live view wired to a RunStore: re-renders on (throttled) changes and ticks the spinner.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { App } from './App.js';
import type { RunStore } from './run-store.js';

export interface LiveAppProps {
  store: RunStore;
  /** @default false */
  verbose?: boolean;
  /** Spinner and clock period, ms. @default 100 */
  tickMs?: number;
  /** See App. @default 'frame' */
  endLayout?: 'frame' | 'scrollback';
}

export function LiveApp({ store, verbose = false, tickMs = 100, endLayout = 'frame' }: LiveAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [frame, setFrame] = useState(0);
  const running = state.status === 'running';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setFrame((f) => f + 1), tickMs);
    return () => clearInterval(t);
  }, [running, tickMs]);
  return <App state={state} verbose={verbose} now={Date.now()} frame={frame} endLayout={endLayout} />;
}

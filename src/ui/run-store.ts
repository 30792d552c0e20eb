// The live view's state: RunEvents folded by reduceRunState, with change notices throttled (~10/s).
import type { RunEvent } from '../events/run-event.js';
import { initialRunState, reduceRunState, type RunState } from '../events/run-state.js';

export interface RunStore {
  getState(): RunState;
  dispatch(ev: RunEvent): void;
  /** Called at most once per interval after changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Notifies now (the end of a run must not wait for the throttle). */
  flush(): void;
}

export interface RunStoreOptions {
  /** Minimum time between notices: a chatty notebook must not redraw the terminal per line. @default 100 */
  intervalMs?: number;
}

export function createRunStore(opts: RunStoreOptions = {}): RunStore {
  const intervalMs = opts.intervalMs ?? 100;
  let state = initialRunState();
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;

  const notify = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const l of [...listeners]) l();
  };

  return {
    getState: () => state,
    dispatch(ev) {
      state = reduceRunState(state, ev);
      if (ev.type === 'run_finished') return notify();
      if (!timer) {
        timer = setTimeout(notify, intervalMs);
        // A pending redraw must not keep the process alive.
        timer.unref?.();
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush: notify,
  };
}

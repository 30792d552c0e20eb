// The seam between the scheduler and the kernels: execute one attempt of one node.
import type { NodeSpec } from '../workflow/types.js';
import type { AttemptProgress, NodeError } from '../events/run-event.js';

export interface AttemptRequest {
  node: NodeSpec;
  /** 1-based. */
  attempt: number;
  instance?: number;
  /** Rendered parameters to inject (templates already evaluated). */
  params: Record<string, unknown>;
  /** Where the executed notebook goes (written even on failure). */
  outputPath: string;
  /** Aborted on cancellation: the executor interrupts the kernel, saves, and resolves. */
  signal: AbortSignal;
  /** Progress; the scheduler turns these into RunEvents. */
  onProgress?: (p: AttemptProgress) => void;
}

export type AttemptResult = { ok: true; outputs: Record<string, unknown> } | { ok: false; error: NodeError; cancelled?: boolean };

export interface Executor {
  execute(req: AttemptRequest): Promise<AttemptResult>;
  /** Hint: these nodes will probably start soon (kernel pre-warming). */
  prepare?(nodes: readonly NodeSpec[]): void;
  close?(): Promise<void>;
}

/** Time, injectable so that the scheduler is tested with a fake clock. */
export interface Clock {
  now(): number;
  /** Resolves after ms, or early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

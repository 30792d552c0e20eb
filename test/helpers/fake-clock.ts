// A Clock for scheduler tests: time moves only when a test advances it, or, in auto mode,
// jumps to the next timer whenever the event loop has nothing else to do.
import type { Clock } from '../../src/engine/executor.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;
  /** Every sleep requested, in order, in ms. */
  readonly sleeps: number[] = [];

  constructor(opts: { start?: number; auto?: boolean } = {}) {
    this.t = opts.start ?? Date.parse('2026-11-26T09:30:00Z');
    this.auto = opts.auto ?? true;
  }

  /** When true, pending timers fire without advance() once the event loop is idle. */
  auto: boolean;

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer: Timer = { at: this.t + ms, seq: this.seq++, resolve, signal };
      timer.onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      signal?.addEventListener('abort', timer.onAbort, { once: true });
      this.timers.push(timer);
      this.scheduleAuto();
    });
  }

  /** Moves time forward by ms, firing due timers in time order. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > until) break;
      this.fire(next);
      await settle();
    }
    this.t = until;
  }

  /** Timers not fired yet. */
  get pending(): number {
    return this.timers.length;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const x of this.timers) if (!best || x.at < best.at || (x.at === best.at && x.seq < best.seq)) best = x;
    return best;
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((x) => x !== timer);
    this.t = Math.max(this.t, timer.at);
    if (timer.onAbort) timer.signal?.removeEventListener('abort', timer.onAbort);
    timer.resolve();
  }

  private scheduleAuto(): void {
    if (!this.auto || this.scheduled) return;
    this.scheduled = true;
    // Wait for the loop to go idle (microtasks and I/O callbacks), so that every sleep due
    // earlier has been requested before time jumps.
    void settle().then(() => {
      this.scheduled = false;
      const next = this.earliest();
      if (!next || !this.auto) return;
      this.fire(next);
      if (this.timers.length > 0) this.scheduleAuto();
    });
  }
}

/** A few macrotask turns: lets promise chains and fs callbacks run. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

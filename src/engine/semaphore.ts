// A FIFO counting semaphore whose waiters give up when the run is cancelled.

interface Waiter {
  signal: AbortSignal;
  resolve: (granted: boolean) => void;
}

export class Semaphore {
  private free: number;
  private waiters: Waiter[] = [];
  private head = 0;
  /** One abort listener per signal, not per waiter: 10,000 listeners make removal quadratic. */
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(readonly size: number) {
    this.free = Math.max(1, size);
  }

  /** Resolves true with a slot held, or false when `signal` aborts first (no slot held). */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(true);
    }
    this.watch(signal);
    return new Promise<boolean>((resolve) => this.waiters.push({ signal, resolve }));
  }

  release(): void {
    // Hand the slot straight to the next waiter, so that nobody can jump the queue.
    while (this.head < this.waiters.length) {
      const next = this.waiters[this.head++];
      if (next.signal.aborted) continue;
      this.compact();
      return next.resolve(true);
    }
    this.compact();
    this.free++;
  }

  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        const cancelled = this.waiters.slice(this.head).filter((w) => w.signal === signal);
        this.waiters = this.waiters.slice(this.head).filter((w) => w.signal !== signal);
        this.head = 0;
        for (const w of cancelled) w.resolve(false);
      },
      { once: true },
    );
  }

  /** Drops granted waiters now and then, so that the queue does not grow without bound. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
  }
}

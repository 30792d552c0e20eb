// Waiting for something for a bounded time, with no timer left behind (a library's caller must not find one).

/**
 * Waits for `p` to settle (its failure ignored) for at most `ms`. Resolves true when it settled
 * in time, false when the time ran out; the timer is cleared either way.
 */
export async function settleWithin(p: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!p) return true;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

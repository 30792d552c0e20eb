// "Did you mean …?" hints: the closest known name to a misspelt one, if it is close enough.

/** The candidate nearest to `name`, or undefined when none is plausibly what was meant. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // A third of the length (at least 1, at most 3) keeps "validat" → "validate" and drops noise.
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  // Replacing every character is no typo: "c" is not a misspelt "a".
  return bestDistance <= limit && bestDistance < name.length ? best : undefined;
}

/** `did you mean "x"?`, or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const c = closest(name, candidates);
  return c === undefined ? undefined : `did you mean "${c}"?`;
}

/**
 * Optimal string alignment distance: Levenshtein plus swapping two adjacent characters as one
 * edit. Plain Levenshtein counts a swap as two, so short names typed with swapped letters
 * (`dri` for `dir`) would get no hint under the length-based limit.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rows suffice: the transposition looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

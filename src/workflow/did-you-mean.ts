// "Did you mean …?" hints: the closest known name to a misspelt one, if it is close enough.
import { distance } from 'fastest-levenshtein';

/** The candidate nearest to `name`, or undefined when none is plausibly what was meant. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
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

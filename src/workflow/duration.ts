// Durations as written in workflows (`500ms`, `90s`, `10m`, `1h`, `1h30m`, or a number of seconds).
import type { Duration } from './types.js';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The pattern the JSON Schema and the validator share. */
export const durationPattern = '^(\\d+(\\.\\d+)?(ms|s|m|h))+$';
const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds, or undefined when `value` is not a duration. A bare number counts as seconds. */
export function parseDuration(value: unknown): Duration | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string' || !new RegExp(durationPattern).test(value)) return undefined;
  let ms = 0;
  for (const m of value.matchAll(part)) ms += Number(m[1]) * unitMs[m[2]!]!;
  return Math.round(ms);
}

/**
 * A duration exactly, as a workflow would write it (parseDuration reads it back): 90000 → "90s",
 * 3600000 → "1h", 1500 → "1.5s", 50 → "50ms". For timeouts, delays and limits; how long
 * something took, rounded for people, is report/format.ts's formatElapsed.
 */
export function formatDuration(ms: Duration): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))}s` : `${Math.round(ms)}ms`;
}

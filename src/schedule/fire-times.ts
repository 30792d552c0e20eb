// A trigger's fire times, from croner in the trigger's time zone (daylight saving included: a time
// that does not exist that day fires when the clocks have gone forward; one that happens twice
// fires once).
import { Cron } from 'croner';
import type { ScheduleTrigger } from '../workflow/types.js';

const crons = new WeakMap<ScheduleTrigger, Cron>();

function cronOf(t: ScheduleTrigger): Cron {
  let c = crons.get(t);
  if (!c) {
    c = new Cron(t.cron, { timezone: t.timezone, paused: true });
    crons.set(t, c);
  }
  return c;
}

/** The first fire time strictly after `after`, or undefined when there is none (a date in the past). */
export function nextFire(t: ScheduleTrigger, after: Date): Date | undefined {
  return cronOf(t).nextRun(after) ?? undefined;
}

/** The next `count` fire times strictly after `after`. */
export function nextFires(t: ScheduleTrigger, after: Date, count: number): Date[] {
  const out: Date[] = [];
  let at: Date | undefined = after;
  while (out.length < count && (at = nextFire(t, at))) out.push(at);
  return out;
}

/**
 * Fire times in (from, to], oldest first; at most `limit` of them, the newest kept (a scheduler
 * stopped for a year with a per-minute trigger must not list half a million: they are counted
 * back from `to`, never walked). `more` says that older ones were left out.
 */
export function firesBetween(t: ScheduleTrigger, from: Date, to: Date, limit: number): Date[] & { more?: boolean } {
  const back = cronOf(t).previousRuns(limit + 1, new Date(to.getTime() + 1));
  const within = back.filter((d) => d.getTime() > from.getTime()).reverse();
  const out: Date[] & { more?: boolean } = within.slice(-limit);
  if (within.length > limit) out.more = true;
  return out;
}

/** How many fire times are in (from, to], counted back from `to` up to `cap` (more: cap + 1). */
export function countFiresBetween(t: ScheduleTrigger, from: Date, to: Date, cap = 1000): number {
  return cronOf(t)
    .previousRuns(cap + 1, new Date(to.getTime() + 1))
    .filter((d) => d.getTime() > from.getTime()).length;
}

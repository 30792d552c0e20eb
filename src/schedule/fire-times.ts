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
 * stopped for a year with a per-minute trigger must not list half a million).
 */
export function firesBetween(t: ScheduleTrigger, from: Date, to: Date, limit: number): Date[] {
  const out: Date[] = [];
  let at: Date | undefined = from;
  while ((at = nextFire(t, at)) && at.getTime() <= to.getTime()) {
    out.push(at);
    if (out.length > limit) out.shift();
  }
  return out;
}

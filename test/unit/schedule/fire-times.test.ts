// A trigger's fire times in its own time zone: daylight saving, the last day of the month, seconds,
// and the newest-first cap of firesBetween.
import { describe, expect, it } from 'vitest';
import { firesBetween, nextFire, nextFires } from '../../../src/schedule/fire-times.js';
import { trigger } from './fake-clock.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const london = (cron: string) => trigger({ cron, timezone: 'Europe/London' });

describe('fire times across daylight saving (Europe/London)', () => {
  it('a 01:30 that does not exist (clocks forward on 2026-03-29) fires once that day, when the clocks have gone forward', () => {
    const t = london('30 1 * * *');
    expect(iso(firesBetween(t, new Date('2026-03-27T12:00Z'), new Date('2026-03-31T12:00Z'), 100))).toEqual([
      '2026-03-28T01:30:00.000Z', // GMT: 01:30 local
      '2026-03-29T01:00:00.000Z', // 01:30 GMT does not exist: 02:00 BST
      '2026-03-30T00:30:00.000Z', // BST: 01:30 local
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('a 01:30 that happens twice (clocks back on 2026-10-25) fires once, at the first of them', () => {
    const t = london('30 1 * * *');
    const fires = iso(firesBetween(t, new Date('2026-10-24T12:00Z'), new Date('2026-10-26T12:00Z'), 100));
    expect(fires).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    // And nothing at the second 01:30 (01:30 GMT) even asked from just after the first.
    expect(nextFire(t, new Date('2026-10-25T00:30Z'))?.toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('an hourly trigger fires every real hour through both changes', () => {
    const t = london('0 * * * *');
    const spring = iso(firesBetween(t, new Date('2026-03-28T23:30Z'), new Date('2026-03-29T02:30Z'), 100));
    expect(spring).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
    // 00:00Z is 01:00 BST and 01:00Z is 01:00 GMT: a wildcard hour fires at both, an hour apart.
    const autumn = iso(firesBetween(t, new Date('2026-10-24T22:30Z'), new Date('2026-10-25T02:30Z'), 100));
    expect(autumn).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
    ]);
  });
});

describe('the last day of the month: 0 6 L * *', () => {
  it('is 29 February in a leap year (2028)', () => {
    expect(iso(nextFires(trigger({ cron: '0 6 L * *' }), new Date('2028-01-15T00:00Z'), 3))).toEqual([
      '2028-01-31T06:00:00.000Z',
      '2028-02-29T06:00:00.000Z',
      '2028-03-31T06:00:00.000Z',
    ]);
  });

  it('is 28 February otherwise (2027)', () => {
    expect(iso(nextFires(trigger({ cron: '0 6 L * *' }), new Date('2027-01-15T00:00Z'), 3))).toEqual([
      '2027-01-31T06:00:00.000Z',
      '2027-02-28T06:00:00.000Z',
      '2027-03-31T06:00:00.000Z',
    ]);
  });

  it('is 06:00 local time in London: 06:00Z in winter, 05:00Z in summer', () => {
    expect(iso(nextFires(london('0 6 L * *'), new Date('2028-02-01T00:00Z'), 2))).toEqual([
      '2028-02-29T06:00:00.000Z',
      '2028-03-31T05:00:00.000Z',
    ]);
  });
});

describe('a six-field cron (seconds first)', () => {
  it('fires every 15 seconds, strictly after the time asked from', () => {
    const t = trigger({ cron: '*/15 * * * * *' });
    expect(iso(nextFires(t, new Date('2026-01-01T00:00:00Z'), 5))).toEqual([
      '2026-01-01T00:00:15.000Z',
      '2026-01-01T00:00:30.000Z',
      '2026-01-01T00:00:45.000Z',
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:01:15.000Z',
    ]);
    expect(nextFire(t, new Date('2026-01-01T00:00:14.999Z'))?.toISOString()).toBe('2026-01-01T00:00:15.000Z');
  });
});

describe('firesBetween', () => {
  const t = trigger({ cron: '0 6 * * *' });

  it('is (from, to]: a fire at `from` is not in it, one at `to` is', () => {
    expect(iso(firesBetween(t, new Date('2026-01-01T06:00Z'), new Date('2026-01-03T06:00Z'), 10))).toEqual([
      '2026-01-02T06:00:00.000Z',
      '2026-01-03T06:00:00.000Z',
    ]);
  });

  it('keeps only the newest `limit`, oldest first', () => {
    expect(iso(firesBetween(t, new Date('2026-01-01T00:00Z'), new Date('2026-01-31T12:00Z'), 3))).toEqual([
      '2026-01-29T06:00:00.000Z',
      '2026-01-30T06:00:00.000Z',
      '2026-01-31T06:00:00.000Z',
    ]);
  });

  it('is empty when nothing falls in the interval', () => {
    expect(firesBetween(t, new Date('2026-01-01T06:00Z'), new Date('2026-01-02T05:59:59Z'), 10)).toEqual([]);
  });

  it('a day of a per-minute trigger, limited to 5, lists the 5 newest', () => {
    const fires = iso(firesBetween(trigger({ cron: '* * * * *' }), new Date('2026-01-01T00:00Z'), new Date('2026-01-02T00:00Z'), 5));
    expect(fires).toEqual([
      '2026-01-01T23:56:00.000Z',
      '2026-01-01T23:57:00.000Z',
      '2026-01-01T23:58:00.000Z',
      '2026-01-01T23:59:00.000Z',
      '2026-01-02T00:00:00.000Z',
    ]);
  });

  it('over a year of a per-minute trigger: only the newest `limit`, and `more` says older ones were left out', () => {
    const t = trigger({ cron: '* * * * *' });
    const fires = firesBetween(t, new Date('2026-01-01T00:00Z'), new Date('2027-01-01T00:00Z'), 3);
    expect(fires.map((d) => d.toISOString())).toEqual(['2026-12-31T23:58:00.000Z', '2026-12-31T23:59:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(fires.more).toBe(true);
    expect(firesBetween(t, new Date('2026-01-01T00:00Z'), new Date('2026-01-01T00:03Z'), 3).more).toBeUndefined();
  });
});

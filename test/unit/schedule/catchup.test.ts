// Fire times missed while no scheduler ran (catchup: none, latest, all, max_catchup), and a
// restart that must not fire a logical time twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleTrigger } from '../../../src/workflow/types.js';
import { FakeClock, fakeLauncher, flush, startScheduler, tempStore, trigger } from './fake-clock.js';

let tmp: ReturnType<typeof tempStore>;
beforeEach(() => {
  tmp = tempStore();
});
afterEach(() => tmp.cleanup());

/** One scheduler process: opens the store, runs from `at` until stopped, closes the store. */
function session(at: string, t: ScheduleTrigger, launcher = fakeLauncher()) {
  const store = tmp.open();
  const clock = new FakeClock(at);
  const s = startScheduler({ store, clock, launch: launcher.launch, triggers: [t] });
  return Object.assign(s, {
    clock,
    store,
    launcher,
    async end() {
      for (const r of launcher.runs) r.finish();
      await s.stop();
      await s.finished;
      store.close();
    },
  });
}

/** Day 0: the scheduler first sees the trigger at 07:00, after that day's 06:00; then it stops until day 4. */
async function missedFourDays(t: ScheduleTrigger) {
  const first = session('2026-01-01T07:00:00Z', t);
  await flush();
  expect(first.launcher.launched()).toEqual([]); // nothing before the trigger was registered
  await first.end();
  return session('2026-01-05T07:00:00Z', t);
}

const DAYS = ['2026-01-02T06:00:00.000Z', '2026-01-03T06:00:00.000Z', '2026-01-04T06:00:00.000Z', '2026-01-05T06:00:00.000Z'];

describe('catch-up at start', () => {
  it('catchup: none runs nothing missed, says how many, and fires on time afterwards', async () => {
    const s = await missedFourDays(trigger({ catchup: 'none' }));
    expect(s.launcher.launched()).toEqual([]);
    expect(s.lines).toContain('2026-01-05T07:00:00.000Z wf[daily] 4 missed fire times not run (catchup: none)');
    expect(s.lines).toContain('2026-01-05T07:00:00.000Z wf[daily] next fire 2026-01-06T06:00:00.000Z (0 6 * * *, UTC)');
    await s.clock.advanceTo('2026-01-06T06:00:00Z');
    expect(s.launcher.launched()).toEqual(['wf daily 2026-01-06T06:00:00.000Z schedule']);
    await s.end();
  });

  it('catchup: latest runs the newest missed time once, as a catch-up', async () => {
    const s = await missedFourDays(trigger({ catchup: 'latest' }));
    expect(s.launcher.launched()).toEqual(['wf daily 2026-01-05T06:00:00.000Z catchup']);
    expect(s.lines).toContain('2026-01-05T07:00:00.000Z wf[daily] 3 missed fire times not run (catchup: latest)');
    expect(s.lines).toContain('2026-01-05T07:00:00.000Z wf[daily] fire 2026-01-05T06:00:00.000Z (catch-up)');
    expect(s.store.history('wf', 'daily').map((r) => `${r.logicalTime} ${r.kind} ${r.state}`)).toEqual([
      '2026-01-05T06:00:00.000Z catchup started',
    ]);
    await s.end();
  });

  it('catchup: all with overlap: queue runs every missed day, oldest first, one after the other', async () => {
    const s = await missedFourDays(trigger({ catchup: 'all', overlap: 'queue' }));
    for (let i = 0; i < DAYS.length; i++) {
      expect(s.launcher.runs).toHaveLength(i + 1);
      s.launcher.runs[i]!.finish();
      await flush();
    }
    expect(s.launcher.launched()).toEqual(DAYS.map((d) => `wf daily ${d} catchup`));
    expect(s.lines.some((l) => l.includes('missed fire time'))).toBe(false);
    await s.end();
  });

  it('catchup: all with overlap: allow starts every missed day at once, oldest first', async () => {
    const s = await missedFourDays(trigger({ catchup: 'all', overlap: 'allow' }));
    expect(s.launcher.launched()).toEqual(DAYS.map((d) => `wf daily ${d} catchup`));
    expect(s.scheduler.running()).toHaveLength(4);
    await s.end();
  });

  it('catchup: all with the default overlap (skip) still runs every missed day, oldest first', async () => {
    const s = await missedFourDays(trigger({ catchup: 'all' }));
    for (let i = 0; i < DAYS.length; i++) {
      s.launcher.runs[i]?.finish();
      await flush();
    }
    expect(s.launcher.launched()).toEqual(DAYS.map((d) => `wf daily ${d} catchup`));
    await s.end();
  });

  it('catchup: all with max_catchup: 2 runs only the newest two', async () => {
    const s = await missedFourDays(trigger({ catchup: 'all', maxCatchup: 2, overlap: 'allow' }));
    expect(s.launcher.launched()).toEqual(DAYS.slice(-2).map((d) => `wf daily ${d} catchup`));
    await s.end();
  });

  it('the count of missed fire times is not capped at max_catchup (catchup: none)', async () => {
    const first = session('2026-01-01T07:00:00Z', trigger({ catchup: 'none' }));
    await first.end();
    const s = session('2026-01-31T07:00:00Z', trigger({ catchup: 'none' }));
    expect(s.lines).toContain('2026-01-31T07:00:00.000Z wf[daily] 30 missed fire times not run (catchup: none)');
    await s.end();
  });

  it('catchup: all with max_catchup: 2 says how many missed days were not run', async () => {
    const s = await missedFourDays(trigger({ catchup: 'all', maxCatchup: 2, overlap: 'allow' }));
    expect(s.lines).toContain('2026-01-05T07:00:00.000Z wf[daily] 2 missed fire times not run (catchup: all, max_catchup 2)');
    await s.end();
  });
});

describe('catch-up while running (the machine slept through fire times)', () => {
  it('catchup: none: the older ones are not run, the newest fires as scheduled', async () => {
    const s = session('2026-01-01T05:00:00Z', trigger({ catchup: 'none' }));
    await s.clock.advanceTo('2026-01-03T06:30:00Z');
    expect(s.launcher.launched()).toEqual(['wf daily 2026-01-03T06:00:00.000Z schedule']);
    expect(s.lines).toContain('2026-01-03T06:30:00.000Z wf[daily] 2 missed fire times not run (catchup: none)');
    await s.end();
  });

  it('with the defaults, the newest due time is the one that runs', async () => {
    const s = session('2026-01-01T05:00:00Z', trigger());
    await s.clock.advanceTo('2026-01-03T06:30:00Z');
    expect(s.launcher.runs.map((r) => r.req.logicalDate.toISOString())).toContain('2026-01-03T06:00:00.000Z');
    expect(s.store.history('wf', 'daily', 1)[0]!.state).not.toBe('skipped');
    await s.end();
  });
});

describe('restart without a duplicate', () => {
  it('a time fired and finished before a restart is not fired again; the next one is', async () => {
    const first = session('2026-01-01T05:00:00Z', trigger({ catchup: 'latest' }));
    await first.clock.advanceTo('2026-01-01T06:00:00Z');
    expect(first.launcher.launched()).toEqual(['wf daily 2026-01-01T06:00:00.000Z schedule']);
    first.launcher.runs[0]!.finish();
    await flush();
    expect(first.store.history('wf', 'daily')[0]).toMatchObject({ state: 'finished', runId: 'R1', status: 'succeeded' });
    await first.end();

    const second = session('2026-01-01T06:30:00Z', trigger({ catchup: 'latest' }));
    await flush();
    expect(second.launcher.launched()).toEqual([]);
    expect(second.lines).toEqual(['2026-01-01T06:30:00.000Z wf[daily] next fire 2026-01-02T06:00:00.000Z (0 6 * * *, UTC)']);
    await second.clock.advanceTo('2026-01-02T06:00:00Z');
    expect(second.launcher.launched()).toEqual(['wf daily 2026-01-02T06:00:00.000Z schedule']);
    await second.end();
  });

  it('a run still going when its scheduler died is not started again either', async () => {
    const first = session('2026-01-01T05:00:00Z', trigger({ catchup: 'latest' }));
    await first.clock.advanceTo('2026-01-01T06:00:00Z');
    first.store.close(); // the process is gone: no stop, no result
    const second = session('2026-01-01T06:30:00Z', trigger({ catchup: 'latest' }));
    expect(second.launcher.launched()).toEqual([]);
    await second.end();
  });

  it('a time missed while stopped is caught up once, and not again on the next restart', async () => {
    const first = session('2026-01-01T05:00:00Z', trigger({ catchup: 'latest' }));
    await first.end();
    const second = session('2026-01-01T06:30:00Z', trigger({ catchup: 'latest' }));
    expect(second.launcher.launched()).toEqual(['wf daily 2026-01-01T06:00:00.000Z catchup']);
    await second.end();
    const third = session('2026-01-01T06:45:00Z', trigger({ catchup: 'latest' }));
    expect(third.launcher.launched()).toEqual([]);
    await third.end();
  });

  it('a clock behind the store: the time the store has already fired is refused, not run again', async () => {
    const first = session('2026-01-01T05:00:00Z', trigger());
    await first.clock.advanceTo('2026-01-01T06:00:00Z');
    await first.end();
    const second = session('2026-01-01T05:59:00Z', trigger());
    await second.clock.advanceTo('2026-01-01T06:00:00Z');
    expect(second.launcher.launched()).toEqual([]);
    expect(second.lines).toContain('2026-01-01T06:00:00.000Z wf[daily] already fired for 2026-01-01T06:00:00.000Z: not run again');
    await second.end();
  });
});

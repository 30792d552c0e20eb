// Runs that crash or cannot start do not stop the scheduler; a stop starts nothing new, gives the
// running runs their grace, then cancels them and waits for them to end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleTrigger } from '../../../src/workflow/types.js';
import { FakeClock, fakeLauncher, flush, startScheduler, tempStore, trigger } from './fake-clock.js';

let tmp: ReturnType<typeof tempStore>;
beforeEach(() => {
  tmp = tempStore();
});
afterEach(() => tmp.cleanup());

const M1 = '2026-01-01T00:01:00.000Z';
const M2 = '2026-01-01T00:02:00.000Z';
const M3 = '2026-01-01T00:03:00.000Z';

function minutely(over: Partial<ScheduleTrigger> = {}, o: Parameters<typeof fakeLauncher>[0] = {}, graceMs = 60_000) {
  const store = tmp.open();
  const clock = new FakeClock('2026-01-01T00:00:30Z');
  const launcher = fakeLauncher(o);
  const s = startScheduler({
    store,
    clock,
    launch: launcher.launch,
    graceMs,
    triggers: [trigger({ key: 'minutely', cron: '* * * * *', ...over })],
  });
  const row = (logicalTime: string) => store.history('wf', 'minutely', 100).find((r) => r.logicalTime === logicalTime);
  return Object.assign(s, { store, clock, launcher, row });
}

describe('runs that fail', () => {
  it('a run whose result rejects is logged and recorded crashed; later times still fire', async () => {
    const s = minutely();
    await s.clock.advanceTo(M1);
    await s.clock.advanceTo('2026-01-01T00:01:20Z');
    s.launcher.runs[0]!.crash('the kernel died');
    await flush();
    expect(s.row(M1)).toMatchObject({ state: 'crashed', runId: 'R1', note: 'the kernel died', finishedAt: '2026-01-01T00:01:20.000Z' });
    expect(s.lines).toContain('2026-01-01T00:01:20.000Z wf[minutely] run R1 crashed: the kernel died');
    expect(s.scheduler.running()).toEqual([]);
    await s.clock.advanceTo(M2);
    expect(s.launcher.launched()).toEqual([`wf minutely ${M1} schedule`, `wf minutely ${M2} schedule`]);
  });

  it('a run that ends failed is finished, with its status and exit code in the log', async () => {
    const s = minutely();
    await s.clock.advanceTo(M1);
    await s.clock.advanceTo('2026-01-01T00:01:45Z');
    s.launcher.runs[0]!.finish('failed');
    await flush();
    expect(s.row(M1)).toMatchObject({ state: 'finished', runId: 'R1', status: 'failed', finishedAt: '2026-01-01T00:01:45.000Z' });
    expect(s.lines).toContain('2026-01-01T00:01:45.000Z wf[minutely] end run R1 failed (exit 1) after 45.0 s');
  });

  it('a launch() that throws is recorded crashed and logged; the next time fires', async () => {
    const s = minutely({}, { throwFor: (req) => (req.logicalDate.toISOString() === M1 ? 'workflow file gone' : undefined) });
    await s.clock.advanceTo(M1);
    expect(s.launcher.runs).toHaveLength(0);
    expect(s.row(M1)).toMatchObject({ state: 'crashed', note: 'workflow file gone' });
    expect(s.lines).toContain(`${M1} wf[minutely] run for ${M1} could not start: workflow file gone`);
    await s.clock.advanceTo(M2);
    expect(s.launcher.launched()).toEqual([`wf minutely ${M2} schedule`]);
  });
});

describe('graceful stop', () => {
  it('starts nothing after the abort; a run that finishes within the grace is not cancelled', async () => {
    const s = minutely();
    await s.clock.advanceTo(M1);
    await s.clock.advanceTo('2026-01-01T00:01:10Z');
    await s.stop();
    expect(s.lines).toContain('2026-01-01T00:01:10.000Z stopping: 1 run(s) still going get 60 s to finish');
    await s.clock.advanceTo('2026-01-01T00:01:50Z'); // 00:02 and later fire no more, grace or not
    expect(s.done).toBe(false);
    s.launcher.runs[0]!.finish();
    await flush();
    expect(s.done).toBe(true);
    expect(s.launcher.runs[0]!.cancel.signal.aborted).toBe(false);
    expect(s.row(M1)).toMatchObject({ state: 'finished', status: 'succeeded' });
    expect(s.clock.sleeping).toEqual([]); // the grace timer was let go
    await s.clock.advanceTo(M3);
    expect(s.launcher.runs).toHaveLength(1);
  });

  it('no fire time passes during the grace: the clock going past 00:02 starts nothing', async () => {
    const s = minutely({ overlap: 'allow' });
    await s.clock.advanceTo(M1);
    await s.stop();
    await s.clock.advanceTo('2026-01-01T00:01:59Z');
    await s.clock.advanceTo(M2);
    expect(s.launcher.runs).toHaveLength(1);
    expect(s.store.history('wf', 'minutely', 100).map((r) => r.logicalTime)).toEqual([M1]);
  });

  it('past the grace, the run is cancelled with SIGTERM, and run() resolves only once it has ended', async () => {
    const s = minutely({}, { slowCancel: true });
    await s.clock.advanceTo(M1);
    await s.clock.advanceTo('2026-01-01T00:01:10Z');
    await s.stop();
    await s.clock.advanceTo('2026-01-01T00:02:09.999Z');
    expect(s.launcher.runs[0]!.cancel.signal.aborted).toBe(false);
    await s.clock.advanceTo('2026-01-01T00:02:10Z');
    expect(s.launcher.runs[0]!.cancel.signal.aborted).toBe(true);
    expect(s.launcher.runs[0]!.cancel.signal.reason).toBe('SIGTERM');
    expect(s.lines).toContain('2026-01-01T00:02:10.000Z grace period over: cancelling R1');
    await flush();
    expect(s.done).toBe(false); // the run has not ended yet
    s.launcher.runs[0]!.finish('cancelled');
    await flush();
    expect(s.done).toBe(true);
    expect(s.row(M1)).toMatchObject({ state: 'finished', status: 'cancelled' });
    expect(s.launcher.runs).toHaveLength(1);
  });

  it('with nothing running, run() resolves at once', async () => {
    const s = minutely();
    await s.stop();
    expect(s.done).toBe(true);
    expect(s.launcher.runs).toHaveLength(0);
  });

  it('fires queued at the stop are recorded dropped and never run', async () => {
    const s = minutely({ overlap: 'queue' });
    await s.clock.advanceTo(M1);
    await s.clock.advanceTo(M2);
    await s.clock.advanceTo(M3);
    await s.stop();
    expect(s.row(M2)).toMatchObject({ state: 'dropped', note: 'the scheduler stopped' });
    expect(s.row(M3)).toMatchObject({ state: 'dropped', note: 'the scheduler stopped' });
    s.launcher.runs[0]!.finish();
    await flush();
    expect(s.done).toBe(true);
    expect(s.launcher.runs).toHaveLength(1);
  });

  it('a cancel_running fire waiting for the cancelled run when the stop comes is dropped', async () => {
    const s = minutely({ overlap: 'cancel_running' }, { slowCancel: true });
    await s.clock.advanceTo(M1);
    await s.clock.advanceTo(M2);
    await s.stop();
    s.launcher.runs[0]!.finish('cancelled');
    await flush();
    expect(s.done).toBe(true);
    expect(s.launcher.runs).toHaveLength(1);
    expect(s.row(M2)).toMatchObject({ state: 'dropped', note: 'the scheduler was stopping' });
  });

  it('queued fires a scheduler left behind (it died) are dropped when the next one starts', async () => {
    const store = tmp.open();
    store.claim({ workflow: 'wf', trigger: 'minutely', logicalTime: M2, kind: 'schedule', state: 'queued', firedAt: M2 });
    const clock = new FakeClock('2026-01-01T00:02:30Z');
    const launcher = fakeLauncher();
    const s = startScheduler({ store, clock, launch: launcher.launch, triggers: [trigger({ key: 'minutely', cron: '* * * * *' })] });
    expect(store.history('wf', 'minutely')[0]).toMatchObject({
      logicalTime: M2,
      state: 'dropped',
      note: 'the scheduler stopped before it could run',
    });
    expect(launcher.runs).toHaveLength(0); // 00:02 is the last fire: nothing to catch up
    await s.stop();
  });
});

describe('a trigger that never fires', () => {
  it('the scheduler says so and run() ends', async () => {
    const store = tmp.open();
    const s = startScheduler({
      store,
      clock: new FakeClock('2026-01-01T00:00:00Z'),
      launch: fakeLauncher().launch,
      triggers: [trigger({ cron: '0 0 30 2 *' })],
    });
    await flush();
    expect(s.done).toBe(true);
    expect(s.lines).toEqual([
      '2026-01-01T00:00:00.000Z wf[daily] will not fire again (0 0 30 2 *)',
      '2026-01-01T00:00:00.000Z no trigger will fire again',
    ]);
  });
});

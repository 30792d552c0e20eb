// A fire time while the workflow's previous run still runs: skip, queue, cancel_running, allow.
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

/** A per-minute trigger; at 00:01 its first run starts and does not finish. */
async function firstRunGoing(over: Partial<ScheduleTrigger>, o: { slowCancel?: boolean } = {}) {
  const store = tmp.open();
  const clock = new FakeClock('2026-01-01T00:00:30Z');
  const launcher = fakeLauncher(o);
  const s = startScheduler({ store, clock, launch: launcher.launch, triggers: [trigger({ key: 'minutely', cron: '* * * * *', ...over })] });
  await clock.advanceTo(M1);
  expect(launcher.launched()).toEqual([`wf minutely ${M1} schedule`]);
  const states = () => store.history('wf', 'minutely', 100).map((r) => `${r.logicalTime} ${r.state}${r.status ? ` ${r.status}` : ''}`);
  return Object.assign(s, { store, clock, launcher, states });
}

describe('overlap', () => {
  it('skip: the second fire is not launched, recorded skipped; the next one after the run ends is', async () => {
    const s = await firstRunGoing({ overlap: 'skip' });
    await s.clock.advanceTo(M2);
    expect(s.launcher.runs).toHaveLength(1);
    expect(s.store.history('wf', 'minutely', 1)[0]).toMatchObject({
      logicalTime: M2,
      state: 'skipped',
      kind: 'schedule',
      note: 'run R1 still running',
    });
    expect(s.lines).toContain(`${M2} wf[minutely] skip ${M2}: run R1 is still running (overlap: skip)`);
    s.launcher.runs[0]!.finish();
    await flush();
    await s.clock.advanceTo(M3);
    expect(s.launcher.launched()).toEqual([`wf minutely ${M1} schedule`, `wf minutely ${M3} schedule`]);
    expect(s.states()).toEqual([`${M3} started`, `${M2} skipped`, `${M1} finished succeeded`]);
  });

  it('queue: the second fire waits for the first run, then runs with its own logical date', async () => {
    const s = await firstRunGoing({ overlap: 'queue' });
    await s.clock.advanceTo(M2);
    expect(s.launcher.runs).toHaveLength(1);
    expect(s.states()).toEqual([`${M2} queued`, `${M1} started`]);
    expect(s.lines).toContain(`${M2} wf[minutely] queue ${M2}: after run R1 (overlap: queue)`);
    await s.clock.advanceTo('2026-01-01T00:02:20Z');
    s.launcher.runs[0]!.finish();
    await flush();
    expect(s.launcher.launched()).toEqual([`wf minutely ${M1} schedule`, `wf minutely ${M2} schedule`]);
    expect(s.states()).toEqual([`${M2} started`, `${M1} finished succeeded`]);
    expect(s.lines).toContain(`2026-01-01T00:02:20.000Z wf[minutely] fire ${M2} (queued)`);
  });

  it('queue: several queued fires run one at a time, in order', async () => {
    const s = await firstRunGoing({ overlap: 'queue' });
    await s.clock.advanceTo(M2);
    await s.clock.advanceTo(M3);
    expect(s.launcher.runs).toHaveLength(1);
    s.launcher.runs[0]!.finish();
    await flush();
    expect(s.launcher.runs).toHaveLength(2);
    s.launcher.runs[1]!.finish();
    await flush();
    expect(s.launcher.runs.map((r) => r.req.logicalDate.toISOString())).toEqual([M1, M2, M3]);
    expect(s.scheduler.running().map((r) => r.logicalDate.toISOString())).toEqual([M3]);
  });

  it('queue: a first run that crashes still lets the queued fire run', async () => {
    const s = await firstRunGoing({ overlap: 'queue' });
    await s.clock.advanceTo(M2);
    s.launcher.runs[0]!.crash('kernel died');
    await flush();
    expect(s.launcher.runs.map((r) => r.req.logicalDate.toISOString())).toEqual([M1, M2]);
  });

  it('queue: a queued fire whose launch throws does not hold up the fires queued behind it', async () => {
    const store = tmp.open();
    const clock = new FakeClock('2026-01-01T00:00:30Z');
    const launcher = fakeLauncher({ throwFor: (req) => (req.logicalDate.toISOString() === M2 ? 'no such notebook' : undefined) });
    startScheduler({
      store,
      clock,
      launch: launcher.launch,
      triggers: [trigger({ key: 'minutely', cron: '* * * * *', overlap: 'queue' })],
    });
    await clock.advanceTo(M1);
    await clock.advanceTo(M2);
    await clock.advanceTo(M3);
    await clock.advanceTo('2026-01-01T00:03:30Z');
    launcher.runs[0]!.finish();
    await flush();
    expect(store.history('wf', 'minutely', 1)[0]).toMatchObject({ logicalTime: M3, state: 'started' });
    expect(launcher.runs.map((r) => r.req.logicalDate.toISOString())).toEqual([M1, M3]);
  });

  it('cancel_running: the running run is cancelled with SIGTERM; the new one starts once it has ended', async () => {
    const s = await firstRunGoing({ overlap: 'cancel_running' }, { slowCancel: true });
    const first = s.launcher.runs[0]!;
    await s.clock.advanceTo(M2);
    expect(first.cancel.signal.aborted).toBe(true);
    expect(first.cancel.signal.reason).toBe('SIGTERM');
    expect(s.lines).toContain(`${M2} wf[minutely] fire ${M2}: cancelling run R1 first (overlap: cancel_running)`);
    expect(s.launcher.runs).toHaveLength(1); // the cancelled run has not ended yet
    first.finish('cancelled');
    await flush();
    expect(s.launcher.launched()).toEqual([`wf minutely ${M1} schedule`, `wf minutely ${M2} schedule`]);
    expect(s.states()).toEqual([`${M2} started`, `${M1} finished cancelled`]);
    expect(s.launcher.runs[1]!.cancel.signal.aborted).toBe(false);
  });

  it('cancel_running: a run slow to cancel does not let two later fires start together', async () => {
    const s = await firstRunGoing({ overlap: 'cancel_running' }, { slowCancel: true });
    await s.clock.advanceTo(M2);
    await s.clock.advanceTo(M3);
    s.launcher.runs[0]!.finish('cancelled');
    await flush();
    expect(s.scheduler.running().map((r) => r.logicalDate.toISOString())).toEqual([M3]);
  });

  it('allow: both run at once', async () => {
    const s = await firstRunGoing({ overlap: 'allow' });
    await s.clock.advanceTo(M2);
    expect(s.launcher.launched()).toEqual([`wf minutely ${M1} schedule`, `wf minutely ${M2} schedule`]);
    expect(s.scheduler.running().map((r) => `${r.runId} ${r.logicalDate.toISOString()}`)).toEqual([`R1 ${M1}`, `R2 ${M2}`]);
    expect(s.launcher.runs[0]!.cancel.signal.aborted).toBe(false);
  });

  it("overlap is per workflow: another workflow's run does not hold this one up; another trigger's of this workflow does", async () => {
    const store = tmp.open();
    const clock = new FakeClock('2026-01-01T00:00:30Z');
    const launcher = fakeLauncher();
    const minutely = trigger({ key: 'minutely', cron: '* * * * *' });
    const s = startScheduler({
      store,
      clock,
      launch: launcher.launch,
      workflows: [
        { name: 'a', file: '/w/a.yml', triggers: [minutely, trigger({ key: 'at-two', cron: '2 0 * * *' })] },
        { name: 'b', file: '/w/b.yml', triggers: [trigger({ key: 'at-two', cron: '2 0 * * *' })] },
      ],
    });
    await clock.advanceTo(M1);
    await clock.advanceTo(M2);
    expect(launcher.launched()).toEqual([`a minutely ${M1} schedule`, `b at-two ${M2} schedule`]);
    expect(store.history('a', 'at-two')[0]).toMatchObject({ state: 'skipped', note: 'run R1 still running' });
    expect(store.history('a', 'minutely', 1)[0]).toMatchObject({ logicalTime: M2, state: 'skipped' });
    expect(s.lines.filter((l) => l.includes(' skip '))).toHaveLength(2);
  });
});

// The fire history: each (trigger, logical time) recorded once, and a lock file so that a second
// scheduler on the same store refuses to start.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { FireStore } from '../../../src/schedule/fire-store.js';
import { tempStore } from './fake-clock.js';

let tmp: ReturnType<typeof tempStore>;
beforeEach(() => {
  tmp = tempStore();
});
afterEach(() => tmp.cleanup());

const fire = (logicalTime: string, state: 'started' | 'skipped' | 'queued' = 'started') => ({
  workflow: 'wf',
  trigger: 'daily',
  logicalTime,
  kind: 'schedule' as const,
  state,
  firedAt: logicalTime,
});

describe('the lock', () => {
  it('a second open in the same process is refused with a UsageError naming this pid', () => {
    const first = tmp.open();
    const lock = JSON.parse(readFileSync(`${tmp.path}.lock`, 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, host: hostname() });
    let err: unknown;
    try {
      FireStore.open(tmp.path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toContain(`holds ${tmp.path}.lock — stop it first, or give this one its own --store`);
    // The refused open left the holder's lock alone.
    expect(JSON.parse(readFileSync(`${tmp.path}.lock`, 'utf8'))).toEqual(lock);
    first.close();
  });

  it('close() removes the lock file, and the store opens again with its history', () => {
    const first = tmp.open();
    first.claim(fire('2026-01-01T06:00:00.000Z'));
    first.close();
    expect(existsSync(`${tmp.path}.lock`)).toBe(false);
    const second = tmp.open();
    expect(second.lastFire('wf', 'daily')?.toISOString()).toBe('2026-01-01T06:00:00.000Z');
  });

  it('a stale lock (a pid that cannot be alive, this host) is taken over', () => {
    writeFileSync(`${tmp.path}.lock`, JSON.stringify({ pid: 2 ** 22 + 777, host: hostname() }));
    const store = tmp.open();
    expect(JSON.parse(readFileSync(`${tmp.path}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    store.close();
    expect(existsSync(`${tmp.path}.lock`)).toBe(false);
  });

  it('a half-written lock file is stale too', () => {
    writeFileSync(`${tmp.path}.lock`, '{"pid": 12');
    expect(() => tmp.open()).not.toThrow();
  });

  it("another host's lock is never taken over: its pid cannot be checked from here", () => {
    writeFileSync(`${tmp.path}.lock`, JSON.stringify({ pid: 2 ** 22 + 777, host: 'elsewhere.example', since: '2026-01-01T00:00:00.000Z' }));
    expect(() => FireStore.open(tmp.path)).toThrow(
      `another flow schedule (pid ${2 ** 22 + 777} on elsewhere.example, since 2026-01-01T00:00:00.000Z)`,
    );
  });

  it('lock: false opens to read while a scheduler holds the lock, and leaves the lock alone', () => {
    const writer = tmp.open();
    writer.claim(fire('2026-01-01T06:00:00.000Z'));
    const reader = FireStore.open(tmp.path, { lock: false });
    expect(reader.history('wf', 'daily').map((r) => r.logicalTime)).toEqual(['2026-01-01T06:00:00.000Z']);
    reader.close();
    expect(existsSync(`${tmp.path}.lock`)).toBe(true);
    writer.close();
  });

  it('lock: false on a store that does not exist fails and creates nothing', () => {
    expect(() => FireStore.open(tmp.path, { lock: false })).toThrow();
    expect(existsSync(tmp.path)).toBe(false);
    expect(existsSync(`${tmp.path}.lock`)).toBe(false);
  });
});

describe('fires', () => {
  it('claim records a logical time once: the second claim is false and changes nothing', () => {
    const store = tmp.open();
    expect(store.claim(fire('2026-01-01T06:00:00.000Z'))).toBe(true);
    expect(store.claim({ ...fire('2026-01-01T06:00:00.000Z', 'skipped'), note: 'again' })).toBe(false);
    expect(store.history('wf', 'daily')).toEqual([
      {
        workflow: 'wf',
        trigger: 'daily',
        logicalTime: '2026-01-01T06:00:00.000Z',
        kind: 'schedule',
        state: 'started',
        firedAt: '2026-01-01T06:00:00.000Z',
      },
    ]);
    // The same time of another trigger or workflow is its own fire.
    expect(store.claim({ ...fire('2026-01-01T06:00:00.000Z'), trigger: 'other' })).toBe(true);
    expect(store.claim({ ...fire('2026-01-01T06:00:00.000Z'), workflow: 'wf2' })).toBe(true);
  });

  it('update patches only what it is given', () => {
    const store = tmp.open();
    store.claim(fire('2026-01-01T06:00:00.000Z'));
    const key = { workflow: 'wf', trigger: 'daily', logicalTime: '2026-01-01T06:00:00.000Z' };
    store.update(key, { runId: 'R1' });
    store.update(key, { state: 'finished', status: 'succeeded', finishedAt: '2026-01-01T06:05:00.000Z' });
    store.update(key, {});
    expect(store.history('wf', 'daily')[0]).toEqual({
      ...fire('2026-01-01T06:00:00.000Z'),
      state: 'finished',
      runId: 'R1',
      status: 'succeeded',
      finishedAt: '2026-01-01T06:05:00.000Z',
    });
  });

  it('lastFire is the latest logical time whatever its state; history is newest first, limited', () => {
    const store = tmp.open();
    expect(store.lastFire('wf', 'daily')).toBeUndefined();
    store.claim(fire('2026-01-02T06:00:00.000Z', 'skipped'));
    store.claim(fire('2026-01-01T06:00:00.000Z'));
    store.claim(fire('2026-01-03T06:00:00.000Z', 'queued'));
    expect(store.lastFire('wf', 'daily')?.toISOString()).toBe('2026-01-03T06:00:00.000Z');
    expect(store.history('wf', 'daily', 2).map((r) => r.logicalTime)).toEqual(['2026-01-03T06:00:00.000Z', '2026-01-02T06:00:00.000Z']);
    expect(store.inState('queued').map((r) => r.logicalTime)).toEqual(['2026-01-03T06:00:00.000Z']);
  });

  it('register keeps the first time a trigger was seen', () => {
    const store = tmp.open();
    expect(store.register('wf', 'daily', new Date('2026-01-01T07:00Z')).toISOString()).toBe('2026-01-01T07:00:00.000Z');
    expect(store.register('wf', 'daily', new Date('2026-01-05T07:00Z')).toISOString()).toBe('2026-01-01T07:00:00.000Z');
    expect(store.register('wf', 'hourly', new Date('2026-01-05T07:00Z')).toISOString()).toBe('2026-01-05T07:00:00.000Z');
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { harness } from './harness.js';
import { makePlan } from './plan-fixture.js';

type Ev<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e): e is Ev<T> => e.type === type);

describe('runPlan: retries', () => {
  it('retries with exact backoff delays, capped by max_delay, each attempt keeping its notebook', async () => {
    const plan = makePlan({ a: { retry: { attempts: 4, delay: 2000, backoff: 3, maxDelay: 10_000, on: ['kernel_died'] } } });
    const h = harness(
      plan,
      { a: [{ fail: 'kernel_died' }, { fail: 'kernel_died' }, { fail: 'kernel_died' }, { outputs: { x: 1 } }] },
      { writeNotebooks: true },
    );
    const summary = await h.run();
    expect(summary.nodes.a).toMatchObject({ status: 'succeeded', attempts: 4, outputs: { x: 1 }, notebookPath: join(h.runDir, 'a.ipynb') });
    // min(2000 × 3^(n-1), 10000) for n = 1, 2, 3
    expect(ofType(h.events, 'attempt_failed').map((e) => e.retryInMs)).toEqual([2000, 6000, 10_000]);
    expect(h.clock.sleeps).toEqual([2000, 6000, 10_000]);
    const starts = ofType(h.events, 'node_started');
    expect(starts.map((e) => [e.attempt, e.maxAttempts])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    const gaps = starts.slice(1).map((s, i) => Date.parse(s.at) - Date.parse(ofType(h.events, 'attempt_failed')[i].at));
    expect(gaps).toEqual([2000, 6000, 10_000]);
    // Every attempt runs into <node>.ipynb; a failed one is moved aside before the retry.
    expect(h.executor.calls.map((c) => c.outputPath)).toEqual(Array(4).fill(join(h.runDir, 'a.ipynb')));
    expect(ofType(h.events, 'attempt_failed').map((e) => e.notebookPath)).toEqual(
      [1, 2, 3].map((n) => join(h.runDir, `a.attempt-${n}.ipynb`)),
    );
    expect(readdirSync(h.runDir).sort()).toEqual(['a.attempt-1.ipynb', 'a.attempt-2.ipynb', 'a.attempt-3.ipynb', 'a.ipynb']);
    expect(JSON.parse(readFileSync(join(h.runDir, 'a.attempt-2.ipynb'), 'utf8'))).toMatchObject({ attempt: 2 });
    expect(JSON.parse(readFileSync(join(h.runDir, 'a.ipynb'), 'utf8'))).toMatchObject({ attempt: 4 });
  });

  it('does not retry an error class missing from `on`', async () => {
    const plan = makePlan({ a: { retry: { attempts: 3, on: ['timeout'] } } });
    const h = harness(plan, { a: { fail: 'error' } });
    const summary = await h.run();
    expect(summary.nodes.a).toMatchObject({ status: 'failed', attempts: 1 });
    const failed = ofType(h.events, 'attempt_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].retryInMs).toBeUndefined();
    expect(failed[0].notebookPath).toBe('/runs/wf/r1/a.ipynb');
  });

  it('fails the node with the last error when attempts run out', async () => {
    const plan = makePlan({ a: { retry: { attempts: 2, delay: 500, on: ['timeout'] } } });
    const h = harness(plan, { a: [{ fail: 'timeout' }, { fail: { errorClass: 'timeout', message: 'second' } }] }, { writeNotebooks: true });
    const summary = await h.run();
    expect(summary.nodes.a).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { message: 'second' },
      notebookPath: join(h.runDir, 'a.ipynb'),
    });
    expect(h.clock.sleeps).toEqual([500]);
    expect(readdirSync(h.runDir).sort()).toEqual(['a.attempt-1.ipynb', 'a.ipynb']);
    expect(summary.exitCode).toBe(1);
  });

  it('releases the slot during a backoff wait', async () => {
    const plan = makePlan({ a: { retry: { attempts: 2, delay: 10_000, on: ['timeout'] } }, b: {} }, { concurrency: 1 });
    const h = harness(plan, { a: [{ fail: 'timeout' }, {}], b: { durationMs: 100 } });
    await h.run();
    // With the slot held through the wait, b could only start after a's second attempt.
    expect(h.executor.calls.map((c) => [c.node, c.attempt])).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
    ]);
    const [a1, b1] = h.executor.calls;
    expect(b1.startedAt).toBe(a1.startedAt);
    const failedAt = Date.parse(h.events.find((e) => e.type === 'attempt_failed')!.at);
    expect(h.executor.calls[2].startedAt - failedAt).toBe(10_000);
  });

  it('treats an executor that throws as a failed attempt', async () => {
    const plan = makePlan({ a: {} });
    const h = harness(plan, {
      a: () => {
        throw new Error('boom');
      },
    });
    const summary = await h.run();
    expect(summary.nodes.a).toMatchObject({ status: 'failed', error: { errorClass: 'error', message: 'boom' } });
  });
});

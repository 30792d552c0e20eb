// Fakes for the scheduler's tests: a clock the test moves by hand, runs the test ends by hand, a
// trigger builder and a temporary fire store. No Jupyter, no timers: nothing happens until the
// test advances the clock or settles a run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FireStore } from '../../../src/schedule/fire-store.js';
import {
  type LaunchedRun,
  type LaunchRequest,
  type ScheduledWorkflow,
  Scheduler,
  type SchedulerClock,
} from '../../../src/schedule/scheduler.js';
import type { ScheduleTrigger } from '../../../src/workflow/types.js';

/** Lets the scheduler react: its promise chains run on microtasks, several links deep. */
export async function flush(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

interface Sleeper {
  at: number;
  wake: () => void;
}

export class FakeClock implements SchedulerClock {
  private t: number;
  private sleepers: Sleeper[] = [];

  constructor(start: string) {
    this.t = Date.parse(start);
  }

  now(): Date {
    return new Date(this.t);
  }

  sleepUntil(at: Date, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || at.getTime() <= this.t) return resolve();
      const sleeper: Sleeper = {
        at: at.getTime(),
        wake: () => {
          signal.removeEventListener('abort', sleeper.wake);
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
      };
      signal.addEventListener('abort', sleeper.wake, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** The times someone sleeps until, soonest first. */
  get sleeping(): string[] {
    return this.sleepers.map((s) => new Date(s.at).toISOString()).sort();
  }

  /** Sets the time (never backwards), wakes whoever is due, and lets the scheduler react. */
  async advanceTo(iso: string): Promise<void> {
    const to = Date.parse(iso);
    if (to < this.t) throw new Error(`the fake clock does not go back: ${iso} < ${this.now().toISOString()}`);
    this.t = to;
    for (const s of this.sleepers.filter((x) => x.at <= to)) s.wake();
    await flush();
  }

  async advanceBy(ms: number): Promise<void> {
    await this.advanceTo(new Date(this.t + ms).toISOString());
  }
}

export interface FakeRun {
  req: LaunchRequest;
  id: string;
  cancel: AbortController;
  settled: boolean;
  finish(status?: string): void;
  crash(message: string): void;
}

/**
 * A launch() whose runs go on until the test ends them. A cancelled run ends as cancelled (exit
 * 143) at once, unless `slowCancel`: then it ends only when the test finishes it.
 */
export function fakeLauncher(o: { slowCancel?: boolean; throwFor?: (req: LaunchRequest) => string | undefined } = {}) {
  const runs: FakeRun[] = [];
  const launch = (req: LaunchRequest): LaunchedRun => {
    const thrown = o.throwFor?.(req);
    if (thrown) throw new Error(thrown);
    const id = `R${runs.length + 1}`;
    const cancel = new AbortController();
    let resolve!: (r: { runId: string; status: string; exitCode: number }) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<{ runId: string; status: string; exitCode: number }>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const run: FakeRun = {
      req,
      id,
      cancel,
      settled: false,
      finish(status = 'succeeded') {
        if (run.settled) return;
        run.settled = true;
        resolve({ runId: id, status, exitCode: status === 'succeeded' ? 0 : status === 'cancelled' ? 143 : 1 });
      },
      crash(message) {
        if (run.settled) return;
        run.settled = true;
        reject(new Error(message));
      },
    };
    if (!o.slowCancel) cancel.signal.addEventListener('abort', () => run.finish('cancelled'), { once: true });
    runs.push(run);
    return { cancel, runId: () => id, result };
  };
  /** Each launch as `<workflow> <trigger> <logical date> <kind>`. */
  const launched = () => runs.map((r) => `${r.req.workflow.name} ${r.req.trigger.key} ${r.req.logicalDate.toISOString()} ${r.req.kind}`);
  return { launch, runs, launched };
}

export function trigger(over: Partial<ScheduleTrigger> = {}): ScheduleTrigger {
  return {
    key: 'daily',
    cron: '0 6 * * *',
    timezone: 'UTC',
    params: {},
    catchup: 'latest',
    maxCatchup: 10,
    overlap: 'skip',
    pos: { file: '/w/wf.yml', line: 1, col: 1 },
    ...over,
  };
}

/** A fresh directory per test, with the store's path in it; `cleanup()` removes it. */
export function tempStore() {
  const dir = mkdtempSync(join(tmpdir(), 'flow-schedule-test-'));
  const path = join(dir, 'fires.sqlite');
  const opened: FireStore[] = [];
  return {
    dir,
    path,
    open(opts?: { lock?: boolean }): FireStore {
      const s = FireStore.open(path, opts);
      opened.push(s);
      return s;
    },
    cleanup() {
      for (const s of opened) {
        try {
          s.close();
        } catch {
          // closed by the test already
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A scheduler started on the fakes; `stop()` aborts its signal; `done` is whether run() resolved. */
export function startScheduler(o: {
  store: FireStore;
  clock: FakeClock;
  launch: (req: LaunchRequest) => LaunchedRun;
  triggers?: ScheduleTrigger[];
  workflows?: ScheduledWorkflow[];
  graceMs?: number;
}) {
  const lines: string[] = [];
  const ac = new AbortController();
  const workflows = o.workflows ?? [{ name: 'wf', file: '/w/wf.yml', triggers: o.triggers ?? [trigger()] }];
  const scheduler = new Scheduler({
    workflows,
    store: o.store,
    clock: o.clock,
    launch: o.launch,
    log: (l) => lines.push(l),
    ...(o.graceMs !== undefined && { graceMs: o.graceMs }),
  });
  const state = { done: false };
  const finished = scheduler.run(ac.signal).then(() => {
    state.done = true;
  });
  return {
    scheduler,
    lines,
    finished,
    get done() {
      return state.done;
    },
    async stop() {
      ac.abort();
      await flush();
    },
  };
}

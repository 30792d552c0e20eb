// `flow schedule`'s core: sleeps until the next fire time of any trigger, fires it once (recorded
// in the store before the run starts), applies the trigger's catch-up and overlap policies, and
// keeps going whatever a run does. The clock and the way runs start are given, so that tests can
// drive it with a fake clock and fake runs.
import type { ScheduleTrigger } from '../workflow/types.js';
import type { FireStore } from './fire-store.js';
import { firesBetween, nextFire } from './fire-times.js';

export interface SchedulerClock {
  now(): Date;
  /** Resolves at `at`, or early when `signal` aborts. */
  sleepUntil(at: Date, signal: AbortSignal): Promise<void>;
}

export const systemSchedulerClock: SchedulerClock = {
  now: () => new Date(),
  sleepUntil: (at, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      // setTimeout's longest wait is 2^31-1 ms; a far fire time is slept towards in steps.
      const timer = setTimeout(done, Math.min(Math.max(0, at.getTime() - Date.now()), 2 ** 31 - 1));
      function done() {
        signal.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** A run the scheduler started: aborting `cancel` cancels it; `result` settles when it has ended. */
export interface LaunchedRun {
  cancel: AbortController;
  /** The run's id once it is known (its run_started). */
  runId(): string | undefined;
  result: Promise<{ runId: string; status: string; exitCode: number }>;
}

export interface LaunchRequest {
  workflow: ScheduledWorkflow;
  trigger: ScheduleTrigger;
  logicalDate: Date;
  kind: 'schedule' | 'catchup';
}

export interface ScheduledWorkflow {
  name: string;
  file: string;
  triggers: readonly ScheduleTrigger[];
}

export interface SchedulerOptions {
  workflows: readonly ScheduledWorkflow[];
  store: FireStore;
  clock?: SchedulerClock;
  launch: (req: LaunchRequest) => LaunchedRun;
  /** One line per thing that happens. */
  log: (line: string) => void;
  /** How long running runs may go on after a stop, before they are cancelled. @default 300000 */
  graceMs?: number;
}

interface Active {
  req: LaunchRequest;
  run: LaunchedRun;
  done: Promise<void>;
}

const label = (w: ScheduledWorkflow, t: ScheduleTrigger) => `${w.name}[${t.key}]`;

export class Scheduler {
  private readonly clock: SchedulerClock;
  private readonly active = new Map<string, Active[]>();
  private readonly queues = new Map<string, LaunchRequest[]>();
  /** Per trigger: the latest fire time handled. */
  private readonly cursor = new Map<ScheduleTrigger, Date>();
  private stopping = false;

  constructor(private readonly o: SchedulerOptions) {
    this.clock = o.clock ?? systemSchedulerClock;
  }

  private log(w: ScheduledWorkflow, t: ScheduleTrigger | undefined, text: string): void {
    this.o.log(`${this.clock.now().toISOString()} ${t ? label(w, t) : w.name} ${text}`);
  }

  /** Runs until `signal` aborts; then starts nothing new, gives running runs the grace period, cancels them. */
  async run(signal: AbortSignal): Promise<void> {
    const { store } = this.o;
    for (const q of store.inState('queued')) {
      store.update(q, { state: 'dropped', note: 'the scheduler stopped before it could run' });
    }
    const now = this.clock.now();
    for (const w of this.o.workflows) {
      for (const t of w.triggers) {
        const registered = store.register(w.name, t.key, now);
        const last = store.lastFire(w.name, t.key) ?? registered;
        this.cursor.set(t, now);
        this.catchUp(w, t, firesBetween(t, last, now, Math.max(t.maxCatchup, 1)), 'catchup');
        const next = nextFire(t, now);
        this.log(w, t, next ? `next fire ${next.toISOString()} (${t.cron}, ${t.timezone})` : `will not fire again (${t.cron})`);
      }
    }
    while (!signal.aborted) {
      const next = this.nextDue();
      if (!next) {
        this.o.log(`${this.clock.now().toISOString()} no trigger will fire again`);
        break;
      }
      await this.clock.sleepUntil(next, signal);
      if (signal.aborted) break;
      const at = this.clock.now();
      for (const w of this.o.workflows) {
        for (const t of w.triggers) {
          const due = firesBetween(t, this.cursor.get(t)!, at, Math.max(t.maxCatchup, 1));
          if (due.length === 0) continue;
          this.cursor.set(t, due.at(-1)!);
          // More than one due at once: the process slept (a suspended machine); the older ones were missed.
          this.catchUp(w, t, due.slice(0, -1), 'catchup');
          this.fire({ workflow: w, trigger: t, logicalDate: due.at(-1)!, kind: 'schedule' });
        }
      }
    }
    await this.stop();
  }

  private nextDue(): Date | undefined {
    let min: Date | undefined;
    for (const w of this.o.workflows) {
      for (const t of w.triggers) {
        const n = nextFire(t, this.cursor.get(t)!);
        if (n && (!min || n < min)) min = n;
      }
    }
    return min;
  }

  /** Missed fire times, under the trigger's catch-up policy. */
  private catchUp(w: ScheduledWorkflow, t: ScheduleTrigger, missed: Date[], kind: 'catchup'): void {
    if (missed.length === 0) return;
    const chosen = t.catchup === 'none' ? [] : t.catchup === 'latest' ? missed.slice(-1) : missed.slice(-t.maxCatchup);
    const passed = missed.length - chosen.length;
    if (passed > 0) this.log(w, t, `${passed} missed fire time${passed === 1 ? '' : 's'} not run (catchup: ${t.catchup})`);
    for (const logicalDate of chosen) this.fire({ workflow: w, trigger: t, logicalDate, kind });
  }

  /** One fire time: recorded once, then started, queued, skipped or run after a cancel, by the overlap policy. */
  private fire(req: LaunchRequest): void {
    const { workflow: w, trigger: t } = req;
    const key = {
      workflow: w.name,
      trigger: t.key,
      logicalTime: req.logicalDate.toISOString(),
      kind: req.kind,
      firedAt: this.clock.now().toISOString(),
    };
    const running = this.active.get(w.name) ?? [];
    const when = `${req.logicalDate.toISOString()}${req.kind === 'catchup' ? ' (catch-up)' : ''}`;
    if (running.length > 0 && t.overlap === 'skip') {
      const ids = running.map((a) => a.run.runId() ?? 'starting').join(', ');
      if (this.o.store.claim({ ...key, state: 'skipped', note: `run ${ids} still running` })) {
        this.log(w, t, `skip ${when}: run ${ids} is still running (overlap: skip)`);
      }
      return;
    }
    if (running.length > 0 && t.overlap === 'queue') {
      if (this.o.store.claim({ ...key, state: 'queued' })) {
        (this.queues.get(w.name) ?? this.queues.set(w.name, []).get(w.name)!).push(req);
        this.log(w, t, `queue ${when}: after run ${running.map((a) => a.run.runId() ?? 'starting').join(', ')} (overlap: queue)`);
      }
      return;
    }
    if (!this.o.store.claim({ ...key, state: 'started' })) {
      this.log(w, t, `already fired for ${when}: not run again`);
      return;
    }
    if (running.length > 0 && t.overlap === 'cancel_running') {
      this.log(
        w,
        t,
        `fire ${when}: cancelling run ${running.map((a) => a.run.runId() ?? 'starting').join(', ')} first (overlap: cancel_running)`,
      );
      for (const a of running) a.run.cancel.abort('SIGTERM');
      void Promise.all(running.map((a) => a.done)).then(() => this.start(req));
      return;
    }
    this.log(w, t, `fire ${when}`);
    this.start(req);
  }

  private start(req: LaunchRequest): void {
    const { workflow: w, trigger: t } = req;
    const key = { workflow: w.name, trigger: t.key, logicalTime: req.logicalDate.toISOString() };
    if (this.stopping) {
      this.o.store.update(key, { state: 'dropped', note: 'the scheduler was stopping' });
      return;
    }
    let run: LaunchedRun;
    try {
      run = this.o.launch(req);
    } catch (err) {
      this.o.store.update(key, { state: 'crashed', note: (err as Error).message });
      this.log(w, t, `run for ${key.logicalTime} could not start: ${(err as Error).message}`);
      return;
    }
    const started = this.clock.now().getTime();
    const entry: Active = {
      req,
      run,
      done: run.result.then(
        (r) => {
          this.o.store.update(key, { state: 'finished', runId: r.runId, status: r.status, finishedAt: this.clock.now().toISOString() });
          this.log(
            w,
            t,
            `end run ${r.runId} ${r.status} (exit ${r.exitCode}) after ${((this.clock.now().getTime() - started) / 1000).toFixed(1)} s`,
          );
        },
        (err: unknown) => {
          const id = run.runId();
          this.o.store.update(key, {
            state: 'crashed',
            ...(id && { runId: id }),
            note: (err as Error).message,
            finishedAt: this.clock.now().toISOString(),
          });
          this.log(w, t, `run ${id ?? `for ${key.logicalTime}`} crashed: ${(err as Error).message}`);
        },
      ),
    };
    const list = this.active.get(w.name) ?? [];
    list.push(entry);
    this.active.set(w.name, list);
    void entry.done.then(() => {
      const left = (this.active.get(w.name) ?? []).filter((a) => a !== entry);
      this.active.set(w.name, left);
      const queued = this.queues.get(w.name);
      if (left.length === 0 && queued && queued.length > 0 && !this.stopping) {
        const nextReq = queued.shift()!;
        this.o.store.update(
          { workflow: w.name, trigger: nextReq.trigger.key, logicalTime: nextReq.logicalDate.toISOString() },
          { state: 'started' },
        );
        this.log(w, nextReq.trigger, `fire ${nextReq.logicalDate.toISOString()} (queued)`);
        this.start(nextReq);
      }
    });
  }

  /** Running runs, by workflow (for tests and --status). */
  running(): { workflow: string; trigger: string; logicalDate: Date; runId?: string }[] {
    return [...this.active.values()].flat().map((a) => ({
      workflow: a.req.workflow.name,
      trigger: a.req.trigger.key,
      logicalDate: a.req.logicalDate,
      ...(a.run.runId() && { runId: a.run.runId() }),
    }));
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    for (const [name, queued] of this.queues) {
      for (const q of queued)
        this.o.store.update(
          { workflow: name, trigger: q.trigger.key, logicalTime: q.logicalDate.toISOString() },
          { state: 'dropped', note: 'the scheduler stopped' },
        );
      queued.length = 0;
    }
    const all = () => [...this.active.values()].flat();
    if (all().length === 0) return;
    const graceMs = this.o.graceMs ?? 300_000;
    this.o.log(`${this.clock.now().toISOString()} stopping: ${all().length} run(s) still going get ${graceMs / 1000} s to finish`);
    const ended = Promise.all(all().map((a) => a.done));
    const graceOver = new AbortController();
    const graceTimer = this.clock.sleepUntil(new Date(this.clock.now().getTime() + graceMs), graceOver.signal);
    const outcome = await Promise.race([ended.then(() => 'ended' as const), graceTimer.then(() => 'grace' as const)]);
    graceOver.abort();
    if (outcome === 'grace') {
      const left = all();
      this.o.log(
        `${this.clock.now().toISOString()} grace period over: cancelling ${left.map((a) => a.run.runId() ?? 'a starting run').join(', ')}`,
      );
      for (const a of left) a.run.cancel.abort('SIGTERM');
      await Promise.all(left.map((a) => a.done));
    }
  }
}

// `flow schedule`'s core: sleeps until the next fire time of any trigger, fires it once (recorded
// in the store before the run starts), applies the trigger's catch-up and overlap policies, and
// keeps going whatever a run does. The clock and the way runs start are given, so that tests can
// drive it with a fake clock and fake runs.
import type { ScheduleTrigger } from '../workflow/types.js';
import type { FireStore } from './fire-store.js';
import { countFiresBetween, firesBetween, nextFire } from './fire-times.js';

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
  /** Per workflow: the fire waiting for its cancelled runs to end (overlap: cancel_running). */
  private readonly afterCancel = new Map<string, LaunchRequest>();
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
        const missed = firesBetween(t, last, now, Math.max(t.maxCatchup, 1));
        this.catchUp(w, t, missed, missed.more ? countFiresBetween(t, last, now) : missed.length);
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
          const due = firesBetween(t, this.cursor.get(t)!, at, Math.max(t.maxCatchup, 1) + 1);
          if (due.length === 0) continue;
          const current = due.at(-1)!;
          const since = this.cursor.get(t)!;
          this.cursor.set(t, current);
          // More than one due at once: the process slept (a suspended machine), and the older ones
          // were missed. The current one runs; under catchup: all the missed ones run first, in turn.
          const missed = due.slice(0, -1);
          const total = due.more ? countFiresBetween(t, since, current) - 1 : missed.length;
          const inTurn = missed.length > 0 && t.catchup === 'all';
          if (inTurn) this.catchUp(w, t, missed, total);
          else this.logMissed(w, t, total);
          this.fire(
            { workflow: w, trigger: t, logicalDate: current, kind: 'schedule' },
            inTurn && t.overlap !== 'allow' ? 'queue' : undefined,
          );
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

  /**
   * Missed fire times (the newest maxCatchup, `more` when there were older ones), under the
   * trigger's catch-up policy. Several caught up run one after another (they are one backlog,
   * not runs that overlap each other), unless the trigger allows overlaps.
   */
  private catchUp(w: ScheduledWorkflow, t: ScheduleTrigger, missed: Date[], total: number): void {
    if (missed.length === 0) return;
    const chosen = t.catchup === 'none' ? [] : t.catchup === 'latest' ? missed.slice(-1) : missed.slice(-t.maxCatchup);
    this.logMissed(w, t, total - chosen.length);
    const overlap = chosen.length > 1 && t.overlap !== 'allow' ? 'queue' : undefined;
    for (const logicalDate of chosen) this.fire({ workflow: w, trigger: t, logicalDate, kind: 'catchup' }, overlap);
  }

  /** `passed` counted up to 1000 (countFiresBetween): past that, "more than 1000". */
  private logMissed(w: ScheduledWorkflow, t: ScheduleTrigger, passed: number): void {
    if (passed <= 0) return;
    const count = passed > 1000 ? 'more than 1000' : String(passed);
    const policy = `catchup: ${t.catchup}${t.catchup === 'all' ? `, max_catchup ${t.maxCatchup}` : ''}`;
    this.log(w, t, `${count} missed fire time${passed === 1 ? '' : 's'} not run (${policy})`);
  }

  /**
   * One fire time: recorded once, then started, queued, skipped or run after a cancel, by the
   * overlap policy (or `overlapAs`, for a backlog of catch-ups).
   */
  private fire(req: LaunchRequest, overlapAs?: ScheduleTrigger['overlap']): void {
    const { workflow: w } = req;
    const t = overlapAs ? { ...req.trigger, overlap: overlapAs } : req.trigger;
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
      // One run waits for the cancelled ones to end: the newest fire. An older one still waiting is dropped.
      const older = this.afterCancel.get(w.name);
      this.afterCancel.set(w.name, req);
      if (older) {
        const olderKey = { workflow: w.name, trigger: older.trigger.key, logicalTime: older.logicalDate.toISOString() };
        this.o.store.update(olderKey, { state: 'dropped', note: `superseded by ${key.logicalTime} (overlap: cancel_running)` });
        this.log(w, t, `fire ${when}: replaces ${olderKey.logicalTime}, which was waiting for the cancelled run to end`);
        return;
      }
      this.log(
        w,
        t,
        `fire ${when}: cancelling run ${running.map((a) => a.run.runId() ?? 'starting').join(', ')} first (overlap: cancel_running)`,
      );
      for (const a of running) a.run.cancel.abort('SIGTERM');
      void Promise.all(running.map((a) => a.done)).then(() => {
        const next = this.afterCancel.get(w.name)!;
        this.afterCancel.delete(w.name);
        this.start(next);
      });
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
      this.drain(w);
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
      this.active.set(
        w.name,
        (this.active.get(w.name) ?? []).filter((a) => a !== entry),
      );
      this.drain(w);
    });
  }

  /** With nothing of the workflow running, its next queued fire starts. */
  private drain(w: ScheduledWorkflow): void {
    const queued = this.queues.get(w.name);
    if ((this.active.get(w.name) ?? []).length > 0 || !queued || queued.length === 0 || this.stopping) return;
    const next = queued.shift()!;
    this.o.store.update({ workflow: w.name, trigger: next.trigger.key, logicalTime: next.logicalDate.toISOString() }, { state: 'started' });
    this.log(w, next.trigger, `fire ${next.logicalDate.toISOString()} (queued)`);
    this.start(next);
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

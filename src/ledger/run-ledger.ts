// The run's record on disk: every event appended to events.ndjson, and run.json rewritten
// atomically as nodes change (coalesced and paced, so that big runs are not slowed by it).
import { createWriteStream, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { RecordWriteError } from '../errors.js';
import { join } from 'node:path';
import { terminalStatuses, type RunEvent } from '../events/run-event.js';
import { initialRunState, reduceRunStateInPlace, type RunState } from '../events/run-state.js';
import type { Workflow } from '../workflow/types.js';
import { packageVersion } from '../package-root.js';
import { bigintReplacer, writeFileAtomic } from './atomic-write.js';
import { EVENTS_FILE, RUN_FILE } from './run-dir.js';
import { RUN_SCHEMA_VERSION, type RunRecord } from './run-record.js';
import { snapshotWorkflow, type WorkflowSnapshot } from './workflow-snapshot.js';

export interface RunLedgerOptions {
  /** An existing run directory (see createRunDir). */
  runDir: string;
  workflow: Workflow;
  /** @default the version in flow's package.json */
  flowVersion?: string;
  /** @default snapshotWorkflow(workflow) (hashes the input notebooks) */
  snapshot?: WorkflowSnapshot;
}

/** Events that change what run.json says; cell progress and output lines do not. */
const transitions = new Set<RunEvent['type']>([
  'run_started',
  'node_queued',
  'node_started',
  'attempt_failed',
  'branch_decided',
  'node_finished',
  'run_finished',
]);

/** The ledger holds the event loop for at most 1 / (1 + this) of the time to write run.json. */
const WRITE_PAUSE_FACTOR = 4;

export class RunLedger {
  private runState: RunState = initialRunState();
  private readonly events: WriteStream;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private failure: unknown;
  /** Ends the pause between two writes early (flush and close want the latest state now). */
  private wake: (() => void) | undefined;
  /** While above 0 (a flush or close is waiting), writes follow each other without a pause. */
  private urgent = 0;

  private constructor(
    readonly runDir: string,
    private readonly workflow: Workflow,
    private readonly flowVersion: string,
    private readonly snapshot: WorkflowSnapshot,
  ) {
    this.events = createWriteStream(join(runDir, EVENTS_FILE), { flags: 'a' });
    this.events.on('error', (err) => (this.failure ??= err));
  }

  static async open(opts: RunLedgerOptions): Promise<RunLedger> {
    const snapshot = opts.snapshot ?? (await snapshotWorkflow(opts.workflow));
    return new RunLedger(opts.runDir, opts.workflow, opts.flowVersion ?? packageVersion(), snapshot);
  }

  /** Feed it every RunEvent (bound: pass `ledger.handle` as a listener). */
  readonly handle = (ev: RunEvent): void => {
    // In place: the ledger alone holds its state, and copying all nodes per event is quadratic.
    this.runState = reduceRunStateInPlace(this.runState, ev);
    this.events.write(`${JSON.stringify(ev, bigintReplacer)}\n`);
    if (transitions.has(ev.type)) this.scheduleWrite();
  };

  get state(): RunState {
    return this.runState;
  }

  /** What run.json holds. */
  record(): RunRecord {
    return {
      schemaVersion: RUN_SCHEMA_VERSION,
      flowVersion: this.flowVersion,
      ...this.runState,
      workflowFile: this.workflow.file,
      workflowHash: this.workflow.hash,
      workflowSnapshot: this.snapshot,
      updatedAt: new Date().toISOString(),
      pid: process.pid,
      host: hostname(), // `flow runs` tells a killed run from a running one
    };
  }

  /** Resolves once run.json holds every transition handled so far. */
  async flush(): Promise<void> {
    this.urgent++;
    this.wake?.();
    try {
      while (this.writing) await this.writing;
    } finally {
      this.urgent--;
    }
  }

  /** Writes run.json a last time, closes events.ndjson, and throws the first write error. */
  async close(): Promise<void> {
    this.urgent++; // for good: no more pauses
    this.scheduleWrite();
    this.wake?.();
    await this.writing;
    await new Promise<void>((resolve) => this.events.end(resolve));
    if (this.failure) throw recordError(this.failure, this.runDir, this.runState.runId);
  }

  /**
   * flow is exiting at once (a second Ctrl-C): no await will run again, so run.json is written
   * synchronously, with every unfinished node cancelled and a log entry saying why.
   * events.ndjson is left as it is: appending now could land before its buffered lines.
   */
  abandonSync(exitCode: number, reason: string): void {
    // Finished already (flow was stopping its server): the record is complete; only make
    // sure that it is on disk.
    if (this.runState.status !== 'running') return this.writeSync();
    const at = new Date().toISOString();
    let state = reduceRunStateInPlace(this.runState, { type: 'log', at, level: 'warn', message: reason });
    for (const node of Object.values(state.nodes)) {
      if (terminalStatuses.has(node.status)) continue;
      state = reduceRunStateInPlace(state, {
        type: 'node_finished',
        at,
        node: node.id,
        status: 'cancelled',
        attempts: node.attempts.length,
        durationMs: 0,
      });
    }
    const startedMs = Date.parse(state.startedAt);
    const durationMs = Number.isNaN(startedMs) ? 0 : Date.now() - startedMs;
    this.runState = reduceRunStateInPlace(state, { type: 'run_finished', at, status: 'cancelled', exitCode, durationMs, counts: {} });
    this.writeSync();
  }

  private writeSync(): void {
    const file = join(this.runDir, RUN_FILE);
    const tmp = `${file}.${process.pid}.sync.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.record(), bigintReplacer, 2)}\n`);
    renameSync(tmp, file);
  }

  /**
   * One write at a time; transitions that arrive during a write are coalesced into the next
   * one, which carries the latest state (a 10,000-node run must not queue 40,000 writes).
   * Between two writes it pauses for a multiple of the time the last one held the event loop:
   * a write serializes every node (≈0.1 s at 10,000 nodes), and back-to-back writes made a
   * 10,000-node run of 5 ms nodes take 31 s instead of 7 s. Small runs pause for a millisecond.
   */
  private scheduleWrite(): void {
    this.dirty = true;
    this.writing ??= this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      // The serialization blocks the event loop; the file write itself does not.
      let blocked = 0;
      try {
        const started = performance.now();
        const text = `${JSON.stringify(this.record(), bigintReplacer, 2)}\n`;
        blocked = performance.now() - started;
        await writeFileAtomic(join(this.runDir, RUN_FILE), text);
      } catch (err) {
        this.failure ??= err;
      }
      if (this.dirty && this.urgent === 0) await this.pause(WRITE_PAUSE_FACTOR * blocked);
    }
    this.writing = undefined;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.wake = end;
    });
  }
}

/** A write error as what it means for the run: which file, why, what is kept, and what to do. */
function recordError(err: unknown, runDir: string, runId: string): Error {
  const e = err as NodeJS.ErrnoException;
  if (!e.code) return e;
  if (e.code === 'ENOENT') {
    return new RecordWriteError(
      `the run directory ${runDir} is gone (deleted while the run went on): the run's record and notebooks could not be saved`,
      'start the workflow again with `flow run`',
    );
  }
  const why =
    e.code === 'ENOSPC'
      ? 'no space left on the device'
      : e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS'
        ? 'it may not be written to'
        : e.message;
  return new RecordWriteError(
    `the run's record in ${runDir} could not be written (${e.code}: ${why}); its run.json holds the run as it was last written`,
    `make room (or give write access), then \`flow resume ${runId}\` repairs the run`,
  );
}

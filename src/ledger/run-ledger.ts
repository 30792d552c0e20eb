// The run's record on disk: every event appended to events.ndjson, and run.json rewritten
// atomically at each node transition.
import { createWriteStream, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { terminalStatuses, type RunEvent } from '../engine/events.js';
import { initialRunState, reduceRunState, type RunState } from '../engine/run-state.js';
import type { Workflow } from '../workflow/types.js';
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

export class RunLedger {
  private runState: RunState = initialRunState();
  private readonly events: WriteStream;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private failure: unknown;

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
    this.runState = reduceRunState(this.runState, ev);
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
    };
  }

  /** Resolves once run.json holds every transition handled so far. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Writes run.json a last time, closes events.ndjson, and throws the first write error. */
  async close(): Promise<void> {
    this.scheduleWrite();
    await this.writing;
    await new Promise<void>((resolve) => this.events.end(resolve));
    if (this.failure) throw this.failure;
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
    let state = reduceRunState(this.runState, { type: 'log', at, level: 'warn', message: reason });
    for (const node of Object.values(state.nodes)) {
      if (terminalStatuses.has(node.status)) continue;
      state = reduceRunState(state, { type: 'node_finished', at, node: node.id, status: 'cancelled', attempts: node.attempts.length, durationMs: 0 });
    }
    const startedMs = Date.parse(state.startedAt);
    const durationMs = Number.isNaN(startedMs) ? 0 : Date.now() - startedMs;
    this.runState = reduceRunState(state, { type: 'run_finished', at, status: 'cancelled', exitCode, durationMs, counts: {} });
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
   */
  private scheduleWrite(): void {
    this.dirty = true;
    this.writing ??= this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await writeFileAtomic(join(this.runDir, RUN_FILE), `${JSON.stringify(this.record(), bigintReplacer, 2)}\n`);
      } catch (err) {
        this.failure ??= err;
      }
    }
    this.writing = undefined;
  }
}

function packageVersion(): string {
  // src/ledger and dist/ledger are both two levels below package.json.
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

// A run while it goes: its reporters, warnings, record and event stream; what startRun and
// startResume return.
import type { ReusedNode } from '../engine/run-options.js';
import type { Diagnostic } from '../errors.js';
import type { RunEvent } from '../events/run-event.js';
import type { Plan } from '../graph/types.js';
import type { RunLedger } from '../ledger/run-ledger.js';
import type { Secrets } from '../workflow/secrets.js';
import { combineReporters, type Reporter } from '../report/reporter.js';
import type { ActiveRun, CommonRunOptions, RunResult } from './run-options.js';

/** What executePlan needs beyond the common options: the run decided, and a resume's carry-over. */
export interface PlannedRun extends CommonRunOptions {
  plan: Plan;
  params: Record<string, unknown>;
  only?: string[];
  from?: string;
  reuse?: Record<string, ReusedNode>;
  resumedFrom?: { runId: string; runDir: string };
  /** `run.logical_date`, `run.trigger` and `run.lineage_id` (see engine RunOptions). */
  logicalDate?: Date;
  trigger?: 'manual' | 'schedule' | 'catchup' | 'resume';
  lineageId?: string;
  /** Where the run directory goes. @default options.runsDir ?? 'runs' */
  runsDirOverride?: string;
  /** The secret params' values (the plan's params hold stand-ins for them). */
  secretValues: Secrets;
}

/** The mutable side of an ActiveRun: its reporters and warnings, and the record and event stream once they exist. */
export class RunInProgress implements ActiveRun {
  result!: Promise<RunResult>;
  readonly reporter: Reporter;
  readonly warnings: Diagnostic[] = [];
  ledger: RunLedger | undefined;
  emit: ((ev: RunEvent) => void) | undefined;
  /** Writes after the record is closed (summary.ipynb), awaited before the run resolves. */
  readonly finishing: Promise<unknown>[] = [];

  constructor(private readonly options: CommonRunOptions) {
    this.reporter = eventSink(options);
  }

  private reporterClosed: Promise<void> | undefined;
  /** Closes the reporters once: the JUnit file is written, the live view leaves its final frame. */
  closeReporter(): Promise<void> {
    return (this.reporterClosed ??= this.reporter.close());
  }

  /** Records a warning and passes it to onWarning. */
  readonly warn = (d: Diagnostic): void => {
    this.warnings.push(d);
    this.options.onWarning?.(d);
  };

  log(level: 'info' | 'warn' | 'error', message: string): boolean {
    if (!this.emit) return false;
    this.emit({ type: 'log', at: new Date().toISOString(), level, message });
    return true;
  }

  abandonSync(exitCode: number, reason: string): void {
    this.ledger?.abandonSync(exitCode, reason);
  }
}

/**
 * Starts `body` as a run: its reporters are closed once it has ended, however it ended (the live
 * view leaves the terminal clean also when the workflow was invalid).
 */
export function beginRun(options: CommonRunOptions, body: (run: RunInProgress) => Promise<RunResult>): ActiveRun {
  const run = new RunInProgress(options);
  run.result = (async () => {
    try {
      return await body(run);
    } finally {
      await run.closeReporter();
    }
  })();
  run.result.catch(() => undefined); // the caller awaits it; no unhandled rejection meanwhile
  return run;
}

/** The reporters and the onEvent callback, as one reporter. */
function eventSink(o: Pick<CommonRunOptions, 'reporters' | 'onEvent'>): Reporter {
  const reporters = [...(o.reporters ?? [])];
  if (o.onEvent) {
    const onEvent = o.onEvent;
    reporters.push({ onEvent, close: async () => {} });
  }
  return combineReporters(reporters);
}

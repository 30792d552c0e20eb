// What runWorkflow and resumeRun take and return: domain options, never command-line arguments.
import type { RunSummary } from '../engine/run-options.js';
import type { Diagnostic } from '../errors.js';
import type { RunEvent } from '../events/run-event.js';
import type { Reporter } from '../report/reporter.js';
import type { ParamSources } from '../workflow/param-sources.js';
import type { NotifyChannel, Workflow } from '../workflow/types.js';
import type { ServerOption } from './server-handle.js';

/** Options every run shares, a new one or a resumed one. */
export interface CommonRunOptions {
  /**
   * Where run directories go (`<runsDir>/<workflow>/<run id>/`), relative to the current folder.
   * @default 'runs'
   */
  runsDir?: string;
  /**
   * The Jupyter server: a running one (the caller stops it), how to connect to one, or by default
   * an embedded server on 127.0.0.1 started for this run and stopped when it ends.
   */
  server?: ServerOption;
  /** Receive every event of the run, in order; each is closed once the run has ended (a JUnit file is written then). */
  reporters?: Reporter[];
  /** Called with every event, in order, synchronously: an alternative to a reporter. */
  onEvent?: (event: RunEvent) => void;
  /** Problems that do not stop the run (an unknown notebook parameter, a param new since a resumed run). */
  onWarning?: (warning: Diagnostic) => void;
  /**
   * Aborting cancels the run: running notebooks are interrupted and saved, and nodes still
   * waiting end `cancelled`. Abort with the reason `'SIGTERM'` for exit code 143; any other gives 130.
   */
  signal?: AbortSignal;
  /** Nodes running at once. @default the workflow's `concurrency` */
  concurrency?: number;
  /**
   * Values of secret params, by name; they win over each secret's own sources (`from_file`,
   * `from_env`). They reach the kernel and nowhere else: every record and output shows ***.
   */
  secrets?: Record<string, string>;
  /** Where secrets' `from_env` variables are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Every run ends by writing report.html (and summary.ipynb) into its run directory, which its
   * links to the executed notebooks rendered to HTML by nbconvert, in `html/`: `'wait'` renders
   * them before the run resolves, `'background'` leaves the renderer running after it (the CLI's
   * choice: a person opens them later), `false` renders none. @default 'wait'
   */
  notebookHtml?: 'wait' | 'background' | false;
  /**
   * Notification channels besides the workflow's own `notify:` (the CLI's --notify). Their
   * credentials are read from `env`; a failed send is a warning and never changes the run.
   */
  notify?: readonly NotifyChannel[];
}

export interface RunWorkflowOptions extends CommonRunOptions {
  /** The workflow: its file's path, or one already loaded with loadWorkflow. */
  workflow: string | Workflow;
  /** The time the run is for, `run.logical_date` (a schedule's fire time). @default now */
  logicalDate?: Date;
  /** What started it, `run.trigger`. @default 'manual' */
  trigger?: 'manual' | 'schedule' | 'catchup';
  /**
   * Values of the workflow's params, typed (`{ period: 'P2', year: 2025 }`). Each is checked
   * against its declaration, as `-p` is; params not given take their defaults.
   */
  params?: Record<string, unknown>;
  /** Params as a command line gives them (`-f`, `-y`, `-p`, `-r`, papermill's typing); `params` wins over these. */
  paramSources?: ParamSources;
  /** Run only these nodes (the others' edges count as succeeded). */
  only?: string[];
  /** Run this node and everything downstream of it. Ignored when `only` is given. */
  from?: string;
}

export interface ResumeRunOptions extends CommonRunOptions {
  /** The run to repair: its id, a unique prefix of one, or its run directory. */
  run: string;
  /** Resume even if the workflow changed in a way that makes the recorded outputs doubtful. @default false */
  force?: boolean;
}

/** How a run ended: the engine's summary, and where its record is. */
export interface RunResult extends RunSummary {
  /** The workflow's name. */
  workflow: string;
  /** Absolute path of the run directory (run.json, events.ndjson, the executed notebooks). */
  runDir: string;
  /** Everything passed to onWarning. */
  warnings: Diagnostic[];
  /** Set by resumeRun when the run had nothing left to repair: then runId and runDir are the earlier run's, and nothing ran. */
  nothingToResume?: boolean;
}

/** A run under way (startRun, startResume). */
export interface ActiveRun {
  /** Settles when the run has ended and its record is saved. */
  readonly result: Promise<RunResult>;
  /**
   * Adds a log line to the run's events (the live view and the record show it). Returns false,
   * doing nothing, before the run has started (loading, or waiting for the server).
   */
  log(level: 'info' | 'warn' | 'error', message: string): boolean;
  /**
   * For a process about to exit at once (a second Ctrl-C): writes run.json synchronously, with
   * every unfinished node cancelled and `reason` logged. Nothing else of the run happens after it.
   */
  abandonSync(exitCode: number, reason: string): void;
}

// Errors classified by who must act, and the one place that maps them to exit codes.

/** Exit codes of every flow command (DESIGN.md §3). */
export const ExitCode = {
  ok: 0,
  nodeFailed: 1,
  invalid: 2,
  /** A bug in flow (an error it did not expect): not the user's to fix, so not 1 or 2. sysexits' EX_SOFTWARE. */
  internal: 70,
  interrupted: 130,
  terminated: 143,
} as const;

/** The exit code of a run stopped by this signal: 143 for SIGTERM, else 130 (a Ctrl-C). */
export function interruptExitCode(signal: unknown): number {
  const name = typeof signal === 'object' && signal !== null ? (signal as { signal?: unknown }).signal : signal;
  return name === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}

/** A position in a source file; 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** One problem found in a workflow or its inputs; the user fixes it. */
export interface Diagnostic {
  pos?: SourcePos;
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
}

/** A path as the user would type it: relative to the current folder when inside it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${displayPath(d.pos.file)}:${d.pos.line}:${d.pos.col}: ` : '';
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}${prefix}${d.message}${d.hint ? ` — ${d.hint}` : ''}`;
}

/** Base of every error flow expects; anything else is a bug in flow. */
export class FlowError extends Error {
  readonly exitCode: number = ExitCode.invalid;
}

/** The user must fix the workflow file or its parameters. Carries every problem at once. */
export class WorkflowError extends FlowError {
  override readonly exitCode = ExitCode.invalid;
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      diagnostics
        .filter((d) => d.severity === 'error')
        .map(formatDiagnostic)
        .join('\n'),
    );
    this.name = 'WorkflowError';
  }
}

/** Wrong command-line use, or an input file that is not what it should be. */
export class UsageError extends FlowError {
  override readonly exitCode = ExitCode.invalid;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message} — ${hint}` : message);
    this.name = 'UsageError';
  }
}

// A notebook that raised, timed out or lost its kernel is not an exception: it is a result,
// NodeError (engine/events.ts), which the scheduler retries on and the reporters print.

/** The Jupyter server could not be found, started or reached: the infrastructure failed. */
export class JupyterServerError extends FlowError {
  override readonly exitCode = ExitCode.nodeFailed;
  constructor(
    message: string,
    readonly hint?: string,
    readonly log?: string,
  ) {
    super(hint ? `${message}\n  ${hint}` : message);
    this.name = 'JupyterServerError';
  }
}

/**
 * The run's record could not be written (a full disk, a folder made read-only or deleted): the
 * run is over, and what was written before is kept.
 */
export class RecordWriteError extends FlowError {
  override readonly exitCode = ExitCode.nodeFailed;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message}\n  ${hint}` : message);
    this.name = 'RecordWriteError';
  }
}

/** A resume that must not happen (the workflow changed, a required param is new): nothing was run. */
export class ResumeRefusedError extends FlowError {
  override readonly exitCode = ExitCode.invalid;
  constructor(
    message: string,
    /** Each thing that changed, for `--force` to override; empty when it cannot be forced. */
    readonly reasons: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ResumeRefusedError';
  }
}

/** The run was cancelled (its AbortSignal aborted) before it had started: no run directory was made. */
export class CancelledError extends FlowError {
  override readonly exitCode: number;
  constructor(reason: unknown) {
    super('cancelled before the run started');
    this.name = 'CancelledError';
    this.exitCode = interruptExitCode(reason);
  }
}

/** A kernel could not be started or talked to. */
export class KernelError extends FlowError {
  override readonly exitCode = ExitCode.nodeFailed;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message}\n  ${hint}` : message);
    this.name = 'KernelError';
  }
}

// Errors classified by who must act, and the one place that maps them to exit codes.

/** Exit codes of every flow command (DESIGN.md §3). */
export const ExitCode = {
  ok: 0,
  nodeFailed: 1,
  invalid: 2,
  interrupted: 130,
  terminated: 143,
} as const;

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

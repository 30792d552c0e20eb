// The one handler that turns any error into a message and an exit code (STYLE.md §6).
import { ExitCode, FlowError, WorkflowError, formatDiagnostic } from '../errors.js';

/** Prints the error for a person and returns the exit code. */
export function handleError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof WorkflowError) {
    for (const d of err.diagnostics) write(`${formatDiagnostic(d)}\n`);
    const errors = err.diagnostics.filter((d) => d.severity === 'error').length;
    write(
      `${errors} error${errors === 1 ? '' : 's'} in the workflow; fix ${errors === 1 ? 'it' : 'them'} and try again (flow validate checks without running)\n`,
    );
    return err.exitCode;
  }
  if (err instanceof FlowError) {
    write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  // A bug in flow: show the stack so that it can be reported.
  const e = err instanceof Error ? err : new Error(String(err));
  write(
    `flow: internal error: ${e.stack ?? e.message}\nThis is a bug in flow, not in your workflow: please report it, with the command you ran and this message.\n`,
  );
  return ExitCode.internal;
}

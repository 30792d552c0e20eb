// A run as a command runs it: its output on the terminal, Ctrl-C and SIGTERM as its AbortSignal.
import { CancelledError, formatDiagnostic, type Diagnostic } from '../errors.js';
import { deferReporter } from '../report/reporter.js';
import type { ActiveRun, CommonRunOptions, RunResult } from '../run/run-options.js';
import { trapInterrupts } from './interrupts.js';
import type { ReportArgs } from './report-options.js';

/** Prints a warning (an unknown notebook parameter, a param new since a resumed run) to stderr. */
export function printWarning(w: Diagnostic): void {
  process.stderr.write(`${formatDiagnostic({ ...w, severity: 'warning' })}\n`);
}

/**
 * Starts the run with the terminal's reporters and signals, and waits for it. The first signal
 * cancels it (running notebooks are interrupted and saved); a second Ctrl-C exits at once, after
 * writing the record synchronously. Returns the run's result, or only an exit code when a signal
 * came before the run had started (nothing ran: there is nothing to say).
 */
export async function runInTerminal(
  report: ReportArgs,
  start: (options: CommonRunOptions) => ActiveRun,
): Promise<RunResult | { exitCode: number; cancelled: true }> {
  let active: ActiveRun | undefined;
  const interrupts = trapInterrupts(
    (sig) => {
      // Stopping can take seconds (kernels are interrupted, notebooks saved): say so at once.
      const again = sig === 'SIGINT' ? '; press Ctrl-C again to exit at once' : '';
      const message = `${sig}: stopping — interrupting running notebooks and saving them${again}`;
      if (!active?.log('warn', message)) process.stderr.write(`${message}\n`);
    },
    (sig, code) => {
      // Best effort: the process exits right after, whatever happens here.
      try {
        active?.abandonSync(
          code,
          `a second ${sig} stopped flow at once, before it had stopped the running kernels and saved their notebooks a last time`,
        );
      } catch {
        // nothing more can be done
      }
    },
  );
  try {
    const { createReporters } = await import('../run/create-reporters.js');
    // Created while the run loads and its server starts: the live view's import (≈0.45 s)
    // overlaps them, and the terminal shows at once that something is happening.
    const reporter = deferReporter(
      createReporters({
        reporter: report.reporter,
        junit: report.junit,
        verbose: report.verbose,
        stdout: process.stdout,
        env: process.env,
      }),
    );
    active = start({ reporters: [reporter], signal: interrupts.signal, onWarning: printWarning });
    return await active.result;
  } catch (err) {
    // A signal while the server was still starting: nothing ran, nothing to say.
    if (err instanceof CancelledError) return { exitCode: err.exitCode, cancelled: true };
    throw err;
  } finally {
    interrupts.dispose();
  }
}

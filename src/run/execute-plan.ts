// One decided run on a server, start to end: run directory, record, kernels, engine, events. The
// record and the executed notebooks are saved whatever happens. Loaded once the first kernels are asked for.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runPlan } from '../engine/scheduler.js';
import { CancelledError } from '../errors.js';
import type { RunEvent } from '../events/run-event.js';
import { createRunDir } from '../ledger/run-dir.js';
import { createRunId } from '../ledger/run-id.js';
import { RunLedger } from '../ledger/run-ledger.js';
import { writeSummaryNotebook } from '../summary/summary-notebook.js';
import { evaluateCondition, renderTemplate } from '../workflow/evaluate-expr.js';
import { carryOverNotebooks, withCarriedNotebooks } from './carry-over.js';
import { createKernelExecutor } from './kernel-executor.js';
import type { PlannedRun, RunInProgress } from './run-in-progress.js';
import type { RunResult } from './run-options.js';
import type { ServerHandle } from './server-handle.js';
import { firstNodes } from './warm-up.js';
import { settleWithin } from '../settle-within.js';
import type { NotifyChannel } from '../workflow/types.js';

/** The CEL functions the scheduler is given. */
export const expressions = { evaluateCondition, renderTemplate };

/** Runs `o.plan` on the handle's server, events to the run's reporters and record. */
export async function executePlan(run: RunInProgress, o: PlannedRun, handle: ServerHandle): Promise<RunResult> {
  const reporter = run.reporter;
  const mask = o.secretValues;
  // What the executor says before the record exists (a pool's server found down) waits for it.
  const early: RunEvent[] = [];
  const log = (ev: RunEvent) => (run.emit ? run.emit(ev) : early.push(ev));
  const servers = Object.values(o.plan.workflow.servers ?? {});
  // A pool of other servers only needs no server of the run's own: its first kernels start at
  // once, without waiting for one (a start that fails, for want of a local Jupyter, is no matter).
  const poolOnly = servers.length > 0 && servers.every((s) => s.url);
  if (!poolOnly) {
    // Infrastructure first: without Jupyter nothing can run, so no run directory is made.
    await handle.server;
    if (o.signal?.aborted) throw new CancelledError(o.signal.reason);
  }
  const executor = createKernelExecutor({
    server: handle.server,
    servers,
    env: o.env ?? process.env,
    secrets: mask,
    ...(handle.restart && { restartServer: handle.restart }),
    warn: (message, node) => log({ type: 'log', at: new Date().toISOString(), level: 'warn', message, node }),
    info: (message, node) => log({ type: 'log', at: new Date().toISOString(), level: 'info', message, node }),
  });
  // A preload that failed, forking turned off: said in the run's log as warnings.
  const unsubscribe = handle.onNotice?.((message) => log({ type: 'log', at: new Date().toISOString(), level: 'warn', message }));
  // The first nodes' kernels start now, while the run directory and record are set up.
  executor.prepare?.(firstNodes(o.plan, o));
  const workflow = o.plan.workflow;
  const runId = createRunId();
  const runDir = await createRunDir(resolve(o.runsDirOverride ?? o.runsDir ?? 'runs'), workflow.name, runId);
  if (o.resumedFrom) await carryOverNotebooks(o.resumedFrom.runDir, runDir, o.plan, o.reuse ?? {});
  const ledger = await RunLedger.open({ runDir, workflow });
  run.ledger = ledger;
  // Every event is masked before anything keeps or shows it: a secret's stand-in in node params,
  // and its value anywhere a notebook put it (an output, an error), become ***.
  const send = (raw: RunEvent) => {
    const ev = mask.size > 0 ? mask.maskDeep(raw) : raw;
    ledger.handle(ev);
    reporter.onEvent(ev);
  };
  run.emit = send;
  const emitRun = o.reuse ? withCarriedNotebooks(runDir, o.plan, o.reuse, send) : send;
  try {
    const summary = await runPlan(o.plan, {
      executor,
      params: o.params,
      runId,
      runDir,
      emit: (ev) => {
        emitRun(ev);
        if (ev.type === 'run_started') for (const e of early.splice(0)) send(e);
      },
      signal: o.signal,
      concurrency: o.concurrency,
      expressions,
      reuse: o.reuse,
      only: o.only,
      from: o.from,
      resumedFrom: o.resumedFrom?.runId,
      logicalDate: o.logicalDate,
      trigger: o.trigger,
      lineageId: o.lineageId,
    });
    return { ...mask.maskDeep(summary), workflow: workflow.name, runDir, warnings: run.warnings };
  } finally {
    run.emit = undefined;
    // Whatever happened, the record and the notebooks are saved before the run returns: the
    // notebooks were saved as each attempt ended, the record is now.
    await ledger.close();
    // summary.ipynb is read back from what was just saved, while the kernels shut down and the
    // reporters close; it never fails the run, which resolves once it is written.
    const summaryWritten = writeSummaryNotebook(runDir).catch((err: unknown) =>
      run.warn({ severity: 'warning', message: `summary.ipynb was not written: ${mask.mask((err as Error).message)}` }),
    );
    const channels = [...(workflow.notify ?? []), ...(o.notify ?? [])];
    run.finishing.push(
      summaryWritten,
      writeReport(runDir, {
        notebookHtml: o.notebookHtml ?? 'wait',
        channels,
        env: o.env ?? process.env,
        warn: (message) => run.warn({ severity: 'warning', message: mask.mask(message) }),
      }),
    );
    // Bounded: a kernel still starting when the server died waits out its whole start timeout,
    // and an embedded server's stop ends every kernel anyway.
    await settleWithin(executor.close?.(), EXECUTOR_CLOSE_MS);
    unsubscribe?.();
    await writeFile(join(runDir, 'jupyter-server.log'), mask.mask(`${handle.log.join('\n')}\n`)).catch(() => undefined);
  }
}

/**
 * report.html, from the saved record and notebooks (so already masked); then, at once, the
 * notifications (which attach it) and the notebooks' HTML it links to. Never fails the run: a
 * problem is a warning.
 */
async function writeReport(
  runDir: string,
  o: { notebookHtml: 'wait' | 'background' | false; channels: NotifyChannel[]; env: NodeJS.ProcessEnv; warn: (message: string) => void },
): Promise<void> {
  const [{ writeRunReportInChild }, { renderNotebooksHtml }] = await Promise.all([
    import('../summary/write-report-process.js'),
    import('../summary/render-notebooks.js'),
  ]);
  let written: { notebooks: string[] } | undefined;
  try {
    written = await writeRunReportInChild(runDir, { linkNotebookHtml: o.notebookHtml !== false });
  } catch (err) {
    o.warn(`report.html was not written: ${(err as Error).message}`);
  }
  const notified = async () => {
    if (o.channels.length === 0) return;
    try {
      const { notifyRun } = await import('../notify/notify-run.js');
      await notifyRun(runDir, o.channels, { env: o.env, warn: o.warn });
    } catch (err) {
      o.warn(`notifications were not sent: ${(err as Error).message}`);
    }
  };
  const rendered = async () => {
    if (o.notebookHtml === false || !written) return;
    try {
      await renderNotebooksHtml(runDir, written.notebooks, { detached: o.notebookHtml === 'background' });
    } catch (err) {
      o.warn(`the executed notebooks were not rendered to HTML: ${(err as Error).message}`);
    }
  };
  await Promise.all([notified(), rendered()]);
}

/** How long closing the executor may take before the run is recorded regardless. */
const EXECUTOR_CLOSE_MS = 5000;

// One run, start to end: run dir, ledger, reporters, executor, interrupts; never loses the record.
import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunEvent } from '../engine/events.js';
import type { ReusedNode } from '../engine/run-options.js';
import { runPlan } from '../engine/scheduler.js';
import type { Plan } from '../graph/types.js';
import { createKernelExecutor } from '../kernel/kernel-executor.js';
import type { JupyterServer } from '../kernel/jupyter-server.js';
import { finalNotebookPath } from '../ledger/notebook-paths.js';
import { createRunDir } from '../ledger/run-dir.js';
import { createRunId } from '../ledger/run-id.js';
import { RunLedger } from '../ledger/run-ledger.js';
import { createReporters } from '../report/reporter.js';
import { firstNodes } from './first-nodes.js';
import { interruptExitCode, trapInterrupts } from './interrupts.js';
import type { ReportArgs } from './report-options.js';
import { evaluateCondition, renderTemplate } from '../workflow/evaluate-expr.js';

/** The CEL functions the scheduler is given. */
export const expressions = { evaluateCondition, renderTemplate };

export interface ExecuteRunOptions {
  plan: Plan;
  params: Record<string, unknown>;
  runsDir: string;
  server: Promise<JupyterServer>;
  /** The server's log so far (and from now on); saved into the run directory. */
  serverLog: string[];
  report: ReportArgs;
  concurrency?: number;
  only?: string[];
  from?: string;
  reuse?: Record<string, ReusedNode>;
  resumedFrom?: { runId: string; runDir: string };
}

export async function executeRun(o: ExecuteRunOptions): Promise<number> {
  const workflow = o.plan.workflow;
  let ledger: RunLedger | undefined;
  let emit: ((ev: RunEvent) => void) | undefined;
  const onFirst = (sig: 'SIGINT' | 'SIGTERM') => {
    // Stopping can take seconds (kernels are interrupted, notebooks saved): say so at once.
    const again = sig === 'SIGINT' ? '; press Ctrl-C again to exit at once' : '';
    const message = `${sig}: stopping — interrupting running notebooks and saving them${again}`;
    if (emit) emit({ type: 'log', at: new Date().toISOString(), level: 'warn', message });
    else process.stderr.write(`${message}\n`);
  };
  const interrupts = trapInterrupts(onFirst, (sig, code) => {
    // Best effort: the process exits right after, whatever happens here.
    try {
      ledger?.abandonSync(
        code,
        `a second ${sig} stopped flow at once, before it had stopped the running kernels and saved their notebooks a last time`,
      );
    } catch {
      // nothing more can be done
    }
  });
  // The reporter first: the live view's import (≈0.5 s) overlaps the server's start, and the
  // terminal shows at once that something is happening.
  const reporter = await createReporters({
    reporter: o.report.reporter,
    junit: o.report.junit,
    verbose: o.report.verbose,
    stdout: process.stdout,
    env: process.env,
  });
  try {
    // Infrastructure next: without Jupyter nothing can run, so no run directory is made.
    const server = await o.server;
    if (interrupts.received) return interruptExitCode(interrupts.received);
    const executor = createKernelExecutor({
      server,
      warn: (message, node) => emit?.({ type: 'log', at: new Date().toISOString(), level: 'warn', message, node }),
    });
    // The first nodes' kernels start now, while the run directory and record are set up.
    executor.prepare?.(firstNodes(o.plan, o));
    const runId = createRunId();
    const runDir = await createRunDir(o.runsDir, workflow.name, runId);
    if (o.resumedFrom) await carryOverNotebooks(o.resumedFrom.runDir, runDir, o.plan, o.reuse ?? {});
    const record = await RunLedger.open({ runDir, workflow });
    ledger = record;
    const send = (ev: RunEvent) => {
      record.handle(ev);
      reporter.onEvent(ev);
    };
    emit = send;
    try {
      const summary = await runPlan(o.plan, {
        executor,
        params: o.params,
        runId,
        runDir,
        emit: o.reuse ? withCarriedNotebooks(runDir, o.plan, o.reuse, send) : send,
        signal: interrupts.signal,
        concurrency: o.concurrency,
        expressions,
        reuse: o.reuse,
        only: o.only,
        from: o.from,
        resumedFrom: o.resumedFrom?.runId,
      });
      return summary.exitCode;
    } finally {
      emit = undefined; // the record is closing: a late signal's notice goes to stderr
      // Whatever happened, the record and the notebooks are saved before flow exits. Closing
      // the executor shuts kernels down; bounded, because a kernel still starting when the server
      // died (a terminal's Ctrl-C reaches it too) waits out its whole start timeout, and the
      // server's stop ends every kernel of an embedded server anyway.
      await settleWithin(executor.close?.(), EXECUTOR_CLOSE_MS);
      await record.close();
      await writeFile(join(runDir, 'jupyter-server.log'), `${o.serverLog.join('\n')}\n`).catch(() => undefined);
    }
  } finally {
    // Closing writes the JUnit file and leaves the live view's final frame; also when the run
    // never started (no Jupyter), so that the terminal is left clean.
    await reporter.close();
    interrupts.dispose();
  }
}

/** How long closing the executor may take before the run is recorded regardless. */
const EXECUTOR_CLOSE_MS = 5000;

/** Waits for `p` (its failure included) for at most `ms`. */
async function settleWithin(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!p) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** A resumed run's directory is complete on its own: reused nodes' notebooks are copied in. */
async function carryOverNotebooks(fromDir: string, toDir: string, plan: Plan, reuse: Record<string, ReusedNode>): Promise<void> {
  for (const id of Object.keys(reuse)) {
    for (const f of reusedNotebooks(fromDir, plan, id)) await copyFile(f, join(toDir, basename(f))).catch(() => undefined);
  }
}

/** A node's final notebook, or its matrix instances' (a reused matrix node does not fan out). */
function reusedNotebooks(dir: string, plan: Plan, id: string): string[] {
  const matrix = plan.workflow.nodes[id]?.matrix;
  if (!matrix) return [finalNotebookPath(dir, id)];
  const count = Object.values(matrix.axes).reduce((n, v) => n * v.length, 1);
  return Array.from({ length: count }, (_, i) => finalNotebookPath(dir, id, i));
}

/**
 * The engine does not know which reused notebooks carryOverNotebooks found, so a reused node's
 * node_finished gets its copied notebook here (`flow show`, run.json); a matrix node's copies
 * go first in one node_finished per instance, as when its instances ran.
 */
export function withCarriedNotebooks(
  runDir: string,
  plan: Plan,
  reuse: Record<string, ReusedNode>,
  emit: (ev: RunEvent) => void,
): (ev: RunEvent) => void {
  return (ev) => {
    if (ev.type !== 'node_finished' || !ev.reused || ev.instance !== undefined || ev.notebookPath || !reuse[ev.node]) return emit(ev);
    const files = reusedNotebooks(runDir, plan, ev.node);
    if (!plan.workflow.nodes[ev.node]?.matrix) return emit(existsSync(files[0]) ? { ...ev, notebookPath: files[0] } : ev);
    files.forEach((f, instance) => {
      if (existsSync(f)) emit({ ...ev, instance, outputs: undefined, notebookPath: f });
    });
    emit(ev);
  };
}

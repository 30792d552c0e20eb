// A run from domain options, start to end: load, plan, get a server, run, record, report. It never
// touches process state (no exit, no signal handler, no stdout): the CLI is one caller among others.
import { resolve } from 'node:path';
import { selectNodes } from '../engine/selection.js';
import type { Diagnostic } from '../errors.js';
import { buildPlan } from '../graph/build-plan.js';
import { resolveRunParams } from '../workflow/run-params.js';
import type { Workflow } from '../workflow/types.js';
import { loadWorkflow } from './load-workflow.js';
import { beginRun, type PlannedRun, type RunInProgress } from './run-in-progress.js';
import type { ActiveRun, RunResult, RunWorkflowOptions } from './run-options.js';
import { resolveServer } from './server-handle.js';
import { readSecrets } from './secrets.js';
import { prelaunchFirstNodes } from './warm-up.js';

/**
 * Runs a workflow and resolves with how it ended. Node failures and cancellation are in the
 * result (`status`, `exitCode`); it rejects only with a FlowError (an invalid workflow or params:
 * WorkflowError; no Jupyter: JupyterServerError; cancelled before it started: CancelledError).
 */
export function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
  return startRun(options).result;
}

/** runWorkflow, with a handle on the run while it goes (to log to it, or to abandon it at once). */
export function startRun(options: RunWorkflowOptions): ActiveRun {
  return beginRun(options, async (run) => {
    const workflow = await workflowOf(options.workflow, run.warn);
    const params = resolveRunParams(workflow, { ...options.paramSources, values: options.params });
    const secretValues = readSecrets(workflow, { given: options.secrets, env: options.env }, run.warn);
    const plan = buildPlan(workflow);
    for (const w of plan.warnings) run.warn(w);
    // An unknown --only/--from node is the caller's mistake: said before any server starts.
    selectNodes(plan, options.only, options.from);
    return launchRun(run, { ...options, plan, params, secretValues });
  });
}

async function workflowOf(w: string | Workflow, warn: (d: Diagnostic) => void): Promise<Workflow> {
  if (typeof w !== 'string') return w;
  const loaded = await loadWorkflow(resolve(w));
  for (const d of loaded.warnings) warn(d);
  return loaded.workflow;
}

/**
 * Runs a decided plan on the run's server. The first nodes' kernels are asked for before the
 * engine, the record and the kernel client are even loaded: their start overlaps all of that.
 */
export async function launchRun(run: RunInProgress, o: PlannedRun): Promise<RunResult> {
  const { handle, owned } = resolveServer(o.server);
  try {
    const { fork, preload } = o.plan.workflow;
    handle.configure?.({ ...(fork !== undefined && { fork }), ...(preload && { preload }) });
    prelaunchFirstNodes(o.plan, { only: o.only, reuse: o.reuse, concurrency: o.concurrency }, handle.prelaunch);
    const { executePlan } = await import('./execute-plan.js');
    return await executePlan(run, o, handle);
  } finally {
    // The summary is on the terminal before the server's stop (≈0.2 s) is waited for; also when
    // the run never started (no Jupyter), so that the terminal is left clean.
    await run.closeReporter();
    await Promise.all([owned ? handle.stop() : undefined, ...run.finishing]);
  }
}

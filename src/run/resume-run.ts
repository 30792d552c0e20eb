// `flow resume` as a library call: repair an earlier run, reusing what succeeded, running the rest.
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { releasePidLock, takePidLock } from '../pid-lock.js';
import { planResume } from '../engine/plan-resume.js';
import { ResumeRefusedError } from '../errors.js';
import { buildPlan } from '../graph/build-plan.js';
import { loadRun } from '../ledger/load-run.js';
import { checkResumeCompatible, resumeParams } from '../ledger/resume.js';
import type { RunRecord } from '../ledger/run-record.js';
import { showValue } from '../workflow/param-types.js';
import { loadWorkflow } from './load-workflow.js';
import { readSecrets } from './secrets.js';
import type { ActiveRun, ResumeRunOptions, RunResult } from './run-options.js';
import { beginRun, type RunInProgress } from './run-in-progress.js';
import { launchRun } from './start-run.js';

/**
 * Resumes a run that failed or was cancelled: a new run, next to it, that reuses the outputs of
 * the nodes that succeeded and runs the others with the params the run was started with. Rejects
 * with ResumeRefusedError, before any server starts, when the workflow changed since (unless
 * `force`) or now requires a param the run did not have; resolves with `nothingToResume` when
 * every node had succeeded or been skipped.
 */
export function resumeRun(options: ResumeRunOptions): Promise<RunResult> {
  return startResume(options).result;
}

/** resumeRun, with a handle on the run while it goes. */
export function startResume(options: ResumeRunOptions): ActiveRun {
  return beginRun(options, async (run) => {
    const record = await loadRun(options.run, resolve(options.runsDir ?? 'runs'));
    const loaded = await loadWorkflow(record.workflowFile);
    for (const w of loaded.warnings) run.warn(w);
    const workflow = loaded.workflow;
    // Decided before Jupyter starts: a refused or pointless resume should cost nothing.
    const reasons = await checkResumeCompatible(record, workflow);
    const { params, missing, defaulted } = resumeParams(record, workflow);
    if (missing.length > 0) throw missingParamsError(record, missing);
    // Never recorded: read again from their sources, as for a new run.
    const secretValues = readSecrets(workflow, { given: options.secrets, env: options.env }, run.warn);
    for (const name of defaulted) {
      run.warn({
        severity: 'warning',
        message: `param "${name}" is new to the workflow since run ${record.runId}: the resumed run uses its default, ${showValue(params[name])}`,
      });
    }
    if (reasons.length > 0 && !options.force) {
      throw new ResumeRefusedError(
        `run ${record.runId} cannot be resumed: the workflow changed since it ran\n${reasons.map((r) => `  - ${r}\n`).join('')}` +
          'Start a new run with `flow run`, or pass --force to reuse the recorded outputs anyway.',
        reasons,
      );
    }
    if (reasons.length > 0) {
      run.warn({
        severity: 'warning',
        message: `resuming run ${record.runId} despite changes (--force):\n${reasons.map((r) => `  - ${r}`).join('\n')}`,
      });
    }
    const plan = buildPlan(workflow);
    for (const w of plan.warnings) run.warn(w);
    const { reuse } = planResume(record, plan);
    // Skipped nodes would be decided the same way again: only a node that did not end
    // succeeded or skipped (or is new to the workflow) gives a resume something to do.
    const toRepair = plan.order.filter((id) => !['succeeded', 'skipped'].includes(record.nodes[id]?.status ?? 'new'));
    if (toRepair.length === 0) return nothingToResume(record, run);
    // One repair of a run at a time: a second would run its failed nodes again beside the first.
    const lock = join(record.runDir, RESUME_LOCK);
    takePidLock(
      lock,
      (holder) =>
        new ResumeRefusedError(
          `run ${record.runId} is being resumed already, by flow pid ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''} (since ${holder.since})`,
        ),
    );
    try {
      return await launchRun(run, {
        ...options,
        plan,
        // Frozen: the resumed run gets exactly the params the run was started with (resumeParams).
        params,
        reuse,
        secretValues,
        resumedFrom: { runId: record.runId, runDir: record.runDir },
        // A repair is for the same time as the run it repairs, and of the same lineage.
        ...(record.logicalDate && { logicalDate: new Date(record.logicalDate) }),
        trigger: 'resume',
        lineageId: record.lineageId ?? record.runId,
        // Next to the run it repairs: runs/<workflow>/<run-id> → runs
        runsDirOverride: dirname(dirname(record.runDir)),
      });
    } finally {
      releasePidLock(lock);
    }
  });
}

/** Held in the resumed run's directory while a resume of it runs. */
const RESUME_LOCK = 'resume.lock';

function missingParamsError(record: RunRecord, missing: string[]): ResumeRefusedError {
  const list = missing.map((m) => `"${m}"`).join(', ');
  return new ResumeRefusedError(
    `run ${record.runId} cannot be resumed: the workflow now requires param${missing.length === 1 ? '' : 's'} ${list}, which the run was started without\n` +
      `Start a new run with \`flow run ${record.workflowFile} ${missing.map((m) => `-p ${m}=…`).join(' ')}\`.`,
  );
}

/** The earlier run, as it ended: a resume of it has nothing to do. */
function nothingToResume(record: RunRecord, run: RunInProgress): RunResult {
  const nodes: RunResult['nodes'] = {};
  for (const [id, n] of Object.entries(record.nodes)) {
    nodes[id] = { status: n.status, outputs: n.outputs, skip: n.skip, attempts: n.attempts.length, notebookPath: n.notebookPath };
  }
  return {
    runId: record.runId,
    status: 'succeeded',
    exitCode: 0,
    nodes,
    durationMs: 0,
    workflow: record.workflow,
    runDir: record.runDir,
    warnings: run.warnings,
    nothingToResume: true,
  };
}

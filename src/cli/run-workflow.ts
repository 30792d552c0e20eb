// The body of `flow run` and `flow resume`: load, plan, start Jupyter, run, record, report.
import { dirname, resolve } from 'node:path';
import { ExitCode, formatDiagnostic, UsageError, type Diagnostic } from '../errors.js';
import { describePlanRun } from '../engine/describe-plan.js';
import { selectNodes } from '../engine/selection.js';
import type { ReusedNode } from '../engine/run-options.js';
import { buildPlan } from '../graph/build-plan.js';
import type { Plan } from '../graph/types.js';
import { loadWorkflow } from '../workflow/load-workflow.js';
import { resolveRunParams } from '../workflow/run-params.js';
import { showValue } from '../workflow/param-types.js';
import type { RunArgs } from './commands/run.js';
import type { JupyterArgs } from './jupyter-options.js';
import { formatDryRun } from './format-dry-run.js';
import type { ReportArgs } from './report-options.js';
import { takeEarlyServer } from './early-server.js';
import { prelaunchFirstNodes } from './first-nodes.js';
import { evaluateCondition, renderTemplate } from '../workflow/evaluate-expr.js';

export function printWarnings(warnings: readonly Diagnostic[]): void {
  for (const w of warnings) process.stderr.write(`${formatDiagnostic({ ...w, severity: 'warning' })}\n`);
}

/** name=value pairs from -p/-r into a record. */
function assignments(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    // Thrown, not exited: the early server is still starting and must be stopped.
    if (eq <= 0) throw new UsageError(`${flag} ${item}: expected NAME=VALUE`, `e.g. ${flag} period=P2`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export async function runWorkflowCommand(args: RunArgs): Promise<number> {
  // Started by the entry point already (it overlaps loading the workflow), unless a dry run.
  const early = args.dryRun ? undefined : takeEarlyServer(args);
  try {
    const { workflow, warnings } = await loadWorkflow(resolve(args.workflow));
    printWarnings(warnings);
    const params = resolveRunParams(workflow, {
      files: args.paramsFile,
      yaml: args.yaml,
      params: assignments(args.param, '-p'),
      raw: assignments(args.raw, '-r'),
    });
    const plan: Plan = buildPlan(workflow);
    printWarnings(plan.warnings);
    if (args.dryRun) {
      // The same check as a real run: an unknown --only/--from node is a usage error.
      const selected = selectNodes(plan, args.only, args.from);
      const selectedBy = args.only?.length ? `--only ${args.only.join(' ')}` : `--from ${args.from}`;
      process.stdout.write(
        formatDryRun(plan, describePlanRun(plan, params, { evaluateCondition, renderTemplate }), { params, selected, selectedBy }),
      );
      return ExitCode.ok;
    }
    prelaunchFirstNodes(plan, args, early!.prelaunch);
    // Loaded only now (the reporters, the ledger, the kernel client): the kernel above starts first.
    const { executeRun } = await import('./execute-run.js');
    return await executeRun({
      plan,
      params,
      runsDir: resolve(args.runsDir),
      server: early!.server,
      serverLog: early!.log,
      report: args as ReportArgs,
      concurrency: args.concurrency,
      only: args.only,
      from: args.from,
    });
  } finally {
    await early?.stop();
  }
}

export interface ResumeArgs extends JupyterArgs, ReportArgs {
  run: string;
  runsDir: string;
  force?: boolean;
  concurrency?: number;
}

export async function resumeCommand(args: ResumeArgs): Promise<number> {
  const [{ loadRun }, { planResume, checkResumeCompatible, resumeParams }] = await Promise.all([
    import('../ledger/load-run.js'),
    import('../ledger/resume.js'),
  ]);
  const record = await loadRun(args.run, resolve(args.runsDir));
  const { workflow, warnings } = await loadWorkflow(record.workflowFile);
  printWarnings(warnings);
  // Decided before Jupyter starts: a refused or pointless resume should cost nothing.
  const reasons = await checkResumeCompatible(record, workflow);
  const { params, missing, defaulted } = resumeParams(record, workflow);
  if (missing.length > 0) {
    const list = missing.map((m) => `"${m}"`).join(', ');
    process.stderr.write(
      `error: run ${record.runId} cannot be resumed: the workflow now requires param${missing.length === 1 ? '' : 's'} ${list}, which the run was started without\n` +
        `Start a new run with \`flow run ${record.workflowFile} ${missing.map((m) => `-p ${m}=…`).join(' ')}\`.\n`,
    );
    return ExitCode.invalid;
  }
  for (const name of defaulted) {
    process.stderr.write(
      `warning: param "${name}" is new to the workflow since run ${record.runId}: the resumed run uses its default, ${showValue(params[name])}\n`,
    );
  }
  if (reasons.length > 0 && !args.force) {
    process.stderr.write(
      `error: run ${record.runId} cannot be resumed: the workflow changed since it ran\n` +
        reasons.map((r) => `  - ${r}\n`).join('') +
        'Start a new run with `flow run`, or pass --force to reuse the recorded outputs anyway.\n',
    );
    return ExitCode.invalid;
  }
  if (reasons.length > 0) {
    process.stderr.write(`warning: resuming run ${record.runId} despite changes (--force):\n${reasons.map((r) => `  - ${r}\n`).join('')}`);
  }
  const plan = buildPlan(workflow);
  printWarnings(plan.warnings);
  const { reuse } = planResume(record, plan);
  // Skipped nodes would be decided the same way again: only a node that did not end
  // succeeded or skipped (or is new to the workflow) gives a resume something to do.
  const toRepair = plan.order.filter((id) => !['succeeded', 'skipped'].includes(record.nodes[id]?.status ?? 'new'));
  if (toRepair.length === 0) {
    process.stdout.write(`run ${record.runId} already succeeded: nothing to resume\n`);
    return ExitCode.ok;
  }
  const early = takeEarlyServer(args);
  try {
    prelaunchFirstNodes(plan, { concurrency: args.concurrency, reuse: reuse as Record<string, ReusedNode> }, early.prelaunch);
    const { executeRun } = await import('./execute-run.js');
    return await executeRun({
      plan,
      // Frozen: the resumed run gets exactly the params the run was started with (resumeParams).
      params,
      // Next to the run it repairs: runs/<workflow>/<run-id> → runs
      runsDir: dirname(dirname(record.runDir)),
      server: early.server,
      serverLog: early.log,
      report: args,
      concurrency: args.concurrency,
      reuse: reuse as Record<string, ReusedNode>,
      resumedFrom: { runId: record.runId, runDir: record.runDir },
    });
  } finally {
    await early?.stop();
  }
}

// The bodies of `flow run` and `flow resume`: arguments into options for the library's runs.
import { resolve } from 'node:path';
import { describePlanRun } from '../engine/describe-plan.js';
import { selectNodes } from '../engine/selection.js';
import { ExitCode, UsageError } from '../errors.js';
import { buildPlan } from '../graph/build-plan.js';
import { loadWorkflow } from '../run/load-workflow.js';
import type { ParamSources } from '../workflow/param-sources.js';
import { resolveRunParams } from '../workflow/run-params.js';
import { Secrets } from '../workflow/secrets.js';
import { takeEarlyServer } from './early-server.js';
import { formatDryRun } from './format-dry-run.js';
import type { JupyterArgs } from './jupyter-options.js';
import { notifyChannels } from './notify-channels.js';
import type { NotifyArgs } from './notify-options.js';
import type { ReportArgs } from './report-options.js';
import { printWarning, runInTerminal } from './run-in-terminal.js';

/** `flow run`'s arguments, as yargs parses them. */
export interface RunArgs extends JupyterArgs, ReportArgs, NotifyArgs {
  workflow: string;
  param?: string[];
  raw?: string[];
  paramsFile?: string[];
  yaml?: string[];
  concurrency?: number;
  runsDir: string;
  only?: string[];
  from?: string;
  dryRun?: boolean;
  secret?: string[];
  logicalDate?: string;
}

/** `flow resume`'s arguments. */
export interface ResumeArgs extends JupyterArgs, ReportArgs, NotifyArgs {
  run: string;
  runsDir: string;
  force?: boolean;
  concurrency?: number;
  secret?: string[];
}

/** -f, -y, -p and -r as the run's param sources. */
function paramSources(args: RunArgs): ParamSources {
  return { files: args.paramsFile, yaml: args.yaml, params: assignments(args.param, '-p'), raw: assignments(args.raw, '-r') };
}

/** name=value pairs from -p/-r, in order. */
function assignments(list: string[] | undefined, flag: string): [string, string][] {
  return (list ?? []).map((item) => {
    const eq = item.indexOf('=');
    // Thrown, not exited: the early server is still starting and must be stopped.
    if (eq <= 0) throw new UsageError(`${flag} ${item}: expected NAME=VALUE`, `e.g. ${flag} period=P2`);
    return [item.slice(0, eq), item.slice(eq + 1)];
  });
}

/** `-s NAME=VALUE` pairs: allowed, with a warning, since every user of the machine can read a command line. */
export function secretArgs(list: string[] | undefined): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of assignments(list, '-s')) out[name] = value;
  const names = Object.keys(out);
  const envs = names.map((n) => `FLOW_SECRET_${n.toUpperCase()}`).join(', ');
  process.stderr.write(
    `warning: -s ${names.join(', ')}: a secret on the command line can be read by every user of this machine (ps, /proc) — set ${envs} instead\n`,
  );
  return out;
}

/**
 * The executed notebooks' HTML, which report.html links, is rendered after flow exits: a run's
 * end does not wait ≈0.3 s of CPU per notebook for pages a person opens later.
 */
const NOTEBOOK_HTML = 'background' as const;

/** --logical-date as a Date; not a date is a usage error. */
function parseLogicalDate(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) {
    throw new UsageError(
      `--logical-date ${text}: not a date and time`,
      'write ISO 8601, e.g. 2026-01-31T06:00Z (UTC) or 2026-01-31T06:00+01:00',
    );
  }
  return d;
}

export async function runWorkflowCommand(args: RunArgs): Promise<number> {
  if (args.dryRun) return dryRun(args);
  // Started by the entry point already: its start overlaps loading the workflow.
  const server = takeEarlyServer(args);
  try {
    const sources = paramSources(args);
    const secrets = secretArgs(args.secret);
    const notify = notifyChannels(args);
    const logicalDate = parseLogicalDate(args.logicalDate);
    const { startRun } = await import('../run/start-run.js');
    const result = await runInTerminal(args, (common) =>
      startRun({
        ...common,
        workflow: args.workflow,
        paramSources: sources,
        runsDir: args.runsDir,
        server,
        concurrency: args.concurrency,
        only: args.only,
        from: args.from,
        secrets,
        notebookHtml: NOTEBOOK_HTML,
        notify,
        ...(logicalDate && { logicalDate }),
      }),
    );
    return result.exitCode;
  } finally {
    await server.stop();
  }
}

/** The plan and each node's parameters, printed; nothing runs and no server starts. */
async function dryRun(args: RunArgs): Promise<number> {
  const { workflow, warnings } = await loadWorkflow(resolve(args.workflow));
  for (const w of warnings) printWarning(w);
  const params = resolveRunParams(workflow, paramSources(args));
  const plan = buildPlan(workflow);
  for (const w of plan.warnings) printWarning(w);
  // The same check as a real run: an unknown --only/--from node is a usage error.
  const selected = selectNodes(plan, args.only, args.from);
  const selectedBy = args.only?.length ? `--only ${args.only.join(' ')}` : `--from ${args.from}`;
  const { evaluateCondition, renderTemplate } = await import('../workflow/evaluate-expr.js');
  const logicalDate = parseLogicalDate(args.logicalDate);
  const planned = describePlanRun(plan, params, { evaluateCondition, renderTemplate }, logicalDate ? { logicalDate } : {});
  const text = formatDryRun(plan, planned, { params, selected, selectedBy });
  // A dry run reads no secret: their stand-ins show as ***.
  process.stdout.write(new Secrets().mask(text));
  return ExitCode.ok;
}

export async function resumeCommand(args: ResumeArgs): Promise<number> {
  const { startResume } = await import('../run/resume-run.js');
  // The server starts only once the resume is known to have something to do (see startResume):
  // a refused or pointless resume costs nothing.
  const result = await runInTerminal(args, (common) =>
    startResume({
      ...common,
      run: args.run,
      runsDir: args.runsDir,
      force: args.force,
      concurrency: args.concurrency,
      server: { jupyter: args.jupyter, serverUrl: args.serverUrl },
      secrets: secretArgs(args.secret),
      notebookHtml: NOTEBOOK_HTML,
      notify: notifyChannels(args),
    }),
  );
  if ('nothingToResume' in result && result.nothingToResume) {
    process.stdout.write(`run ${result.runId} already succeeded: nothing to resume\n`);
  }
  return result.exitCode;
}

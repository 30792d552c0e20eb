// `flow schedule`: loads the workflows and their triggers; then runs the scheduler until SIGTERM
// or Ctrl-C, or prints what it would do (--next), what it did (--status) or how to install it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createExprContext, workflowVars } from '../engine/expr-context.js';
import { UsageError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { FireStore } from '../schedule/fire-store.js';
import { nextFire, nextFires } from '../schedule/fire-times.js';
import { launchScheduledRun } from '../schedule/launch-run.js';
import { Scheduler, type ScheduledWorkflow } from '../schedule/scheduler.js';
import { parseDuration } from '../workflow/duration.js';
import { renderTemplate } from '../workflow/evaluate-expr.js';
import { loadWorkflow } from '../workflow/load-workflow.js';
import { showValue } from '../workflow/param-types.js';
import { resolveRunParams } from '../workflow/run-params.js';
import { Secrets } from '../workflow/secrets.js';
import type { Workflow } from '../workflow/types.js';
import { trapInterrupts } from './interrupts.js';

export interface ScheduleArgs {
  workflows: string[];
  runsDir: string;
  store?: string;
  grace: string;
  next?: number;
  status: boolean;
  install?: 'systemd' | 'cron';
}

export async function scheduleCommandMain(args: ScheduleArgs): Promise<number> {
  const loaded: Workflow[] = [];
  for (const file of args.workflows) {
    const { workflow } = await loadWorkflow(resolve(file));
    if (!workflow.schedule?.length) {
      throw new UsageError(
        `${file} has no schedule: section`,
        'add one (see "Scheduling" in README.md), e.g. schedule: [{ cron: "0 6 * * 1" }]',
      );
    }
    loaded.push(workflow);
  }
  const names = loaded.map((w) => w.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UsageError(`two workflows are called "${dup}"`, 'the fire history is kept by workflow name: give each its own name:');
  const runsDir = resolve(args.runsDir);
  const storePath = resolve(args.store ?? join(runsDir, 'schedule.sqlite'));
  const graceMs = parseDuration(args.grace);
  if (graceMs === undefined) throw new UsageError(`--grace ${args.grace}: not a duration`, 'write it like 90s, 5m or 1h');
  if (args.next !== undefined) return printNext(loaded, args.next);
  if (args.install) return printInstall(args, runsDir, storePath, graceMs);
  if (args.status) return printStatus(loaded, storePath);

  const workflows: ScheduledWorkflow[] = loaded.map((w) => ({ name: w.name, file: w.file, triggers: w.schedule! }));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const store = FireStore.open(storePath);
  const interrupts = trapInterrupts((sig) =>
    log(`${new Date().toISOString()} ${sig}: no new runs; running ones get ${args.grace} (again to exit at once)`),
  );
  try {
    log(
      `${new Date().toISOString()} flow schedule: ${workflows.map((w) => `${w.name} (${w.triggers.length} trigger${w.triggers.length === 1 ? '' : 's'})`).join(', ')}; fire history ${storePath}`,
    );
    const scheduler = new Scheduler({ workflows, store, log, graceMs, launch: (req) => launchScheduledRun(req, { runsDir, log }) });
    await scheduler.run(interrupts.signal);
    log(`${new Date().toISOString()} flow schedule stopped`);
    return 0;
  } finally {
    interrupts.dispose();
    store.close();
  }
}

/** --next N: each trigger's next fire times, with the params (and vars) its run would get. */
function printNext(workflows: Workflow[], count: number): number {
  const now = new Date();
  for (const w of workflows) {
    for (const t of w.schedule!) {
      process.stdout.write(`${w.name}[${t.key}]  ${t.cron}  (${t.timezone}; catchup ${t.catchup}, overlap ${t.overlap})\n`);
      for (const at of nextFires(t, now, count)) {
        const params = resolveRunParams(w, { values: { ...t.params } });
        const ctx = createExprContext(
          { params, runId: 'next', logicalDate: at, trigger: 'schedule' },
          at,
          workflowVars(w.vars, renderTemplate),
        );
        // Secret params show as their stand-ins would: *** (nothing reads a secret here).
        const mask = new Secrets();
        const shown = Object.entries(mask.maskDeep(params)).map(([k, v]) => `${k}=${showValue(v)}`);
        const vars = Object.entries(mask.maskDeep(ctx.vars ?? {})).map(([k, v]) => `vars.${k}=${showValue(v)}`);
        process.stdout.write(`  ${at.toISOString()}  ${[...shown, ...vars].join(' ')}\n`);
      }
    }
  }
  return 0;
}

/** --status: what the fire history says about each trigger, and when it fires next. */
function printStatus(workflows: Workflow[], storePath: string): number {
  if (!existsSync(storePath)) {
    process.stdout.write(`no fire history at ${storePath}: this scheduler has not run yet\n`);
    return 0;
  }
  const store = FireStore.open(storePath, { lock: false });
  try {
    const now = new Date();
    for (const w of workflows) {
      for (const t of w.schedule!) {
        const [last] = store.history(w.name, t.key, 1);
        const next = nextFire(t, now);
        const outcome = last
          ? `last ${last.logicalTime} ${last.state}${last.runId ? ` run ${last.runId}` : ''}${last.status ? ` ${last.status}` : ''}${last.note ? ` (${last.note})` : ''}`
          : 'never fired';
        process.stdout.write(`${w.name}[${t.key}]  ${outcome}; next ${next ? next.toISOString() : 'never'}\n`);
      }
    }
  } finally {
    store.close();
  }
  return 0;
}

/** --install: a systemd unit, or crontab lines (a watchdog every 5 minutes: the lock refuses a second one). */
function printInstall(args: ScheduleArgs, runsDir: string, storePath: string, graceMs: number): number {
  const cli = join(packageRoot, 'dist', 'cli', 'main.js');
  const command = [
    process.execPath,
    cli,
    'schedule',
    ...args.workflows.map((f) => resolve(f)),
    '--runs-dir',
    runsDir,
    '--store',
    storePath,
    '--grace',
    args.grace,
  ];
  const quoted = command.map((c) => (/^[\w@%+=:,./-]+$/.test(c) ? c : `'${c.replace(/'/g, "'\\''")}'`)).join(' ');
  if (args.install === 'systemd') {
    process.stdout.write(`# /etc/systemd/system/flow-schedule.service — then: systemctl daemon-reload && systemctl enable --now flow-schedule
[Unit]
Description=flow schedule (${args.workflows.join(', ')})
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
WorkingDirectory=${process.cwd()}
ExecStart=${quoted}
# Secrets and SMTP settings (FLOW_SECRET_*, FLOW_SMTP_URL…), one NAME=value per line, readable by this user only.
EnvironmentFile=-/etc/flow/schedule.env
Restart=on-failure
RestartSec=10
KillSignal=SIGTERM
# SIGTERM to flow only, so that running notebooks get the grace period; the rest is killed after it.
KillMode=mixed
TimeoutStopSec=${Math.ceil(graceMs / 1000) + 60}

[Install]
WantedBy=multi-user.target
`);
  } else {
    const logFile = join(dirname(storePath), 'schedule.log');
    process.stdout.write(`# crontab -e — starts the scheduler at boot, and again within 5 minutes if it stopped
# (a second one exits at once: the fire history's lock is held).
@reboot cd ${process.cwd()} && ${quoted} >> ${logFile} 2>&1
*/5 * * * * cd ${process.cwd()} && ${quoted} >> ${logFile} 2>&1
`);
  }
  return 0;
}

// How `flow schedule` starts a run: the library's startRun, with the trigger's params, the fire
// time as run.logical_date and the trigger kind as run.trigger. The workflow file is read again
// at each fire, so that its notebooks' and params' changes apply to the next run.
import { startRun } from '../run/start-run.js';
import type { LaunchedRun, LaunchRequest } from './scheduler.js';

export interface LaunchOptions {
  runsDir: string;
  env?: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export function launchScheduledRun(req: LaunchRequest, o: LaunchOptions): LaunchedRun {
  const cancel = new AbortController();
  let runId: string | undefined;
  const who = `${req.workflow.name}[${req.trigger.key}]`;
  const run = startRun({
    workflow: req.workflow.file,
    params: { ...req.trigger.params },
    logicalDate: req.logicalDate,
    trigger: req.kind,
    runsDir: o.runsDir,
    signal: cancel.signal,
    ...(o.env && { env: o.env }),
    // A long-running process leaves nothing behind: the notebooks' HTML is rendered before the run ends.
    notebookHtml: 'wait',
    onEvent: (ev) => {
      if (ev.type === 'run_started') {
        runId = ev.runId;
        o.log(`${new Date().toISOString()} ${who} start run ${ev.runId} for ${req.logicalDate.toISOString()} in ${ev.runDir}`);
      }
    },
    onWarning: (d) => o.log(`${new Date().toISOString()} ${who} warning: ${d.message}`),
  });
  return {
    cancel,
    runId: () => runId,
    result: run.result.then((r) => ({ runId: r.runId, status: r.status, exitCode: r.exitCode })),
  };
}

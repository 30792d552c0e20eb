// Every flow command, in --help order. Each module holds only its yargs definition and loads
// its implementation lazily, so that `flow --help` loads neither Ink nor anything of Jupyter.
import type { Argv } from 'yargs';
import { runCommand } from './run.js';
import { resumeCommand } from './resume.js';
import { execCommand } from './exec.js';
import { validateCommand } from './validate.js';
import { graphCommand } from './graph.js';
import { schemaCommand } from './schema.js';
import { inspectCommand } from './inspect.js';
import { runsCommand } from './runs.js';
import { showCommand } from './show.js';
import { reportCommand } from './report.js';
import { notifyCommand } from './notify.js';
import { scheduleCommand } from './schedule.js';

/** Adds every command to the parser, in --help order: one import and one line each; nothing heavy here. */
export function withCommands<T>(y: Argv<T>): Argv<T> {
  return y
    .command(runCommand)
    .command(resumeCommand)
    .command(execCommand)
    .command(validateCommand)
    .command(graphCommand)
    .command(schemaCommand)
    .command(inspectCommand)
    .command(runsCommand)
    .command(showCommand)
    .command(reportCommand)
    .command(notifyCommand)
    .command(scheduleCommand);
}

// Every flow command, in --help order. Each module holds only its yargs definition and loads
// its implementation lazily, so that `flow --help` loads neither Ink nor anything of Jupyter.
import type { CommandModule } from 'yargs';
import { runCommand } from './run.js';
import { resumeCommand } from './resume.js';
import { execCommand } from './exec.js';
import { validateCommand } from './validate.js';
import { graphCommand } from './graph.js';
import { schemaCommand } from './schema.js';
import { inspectCommand } from './inspect.js';
import { runsCommand } from './runs.js';
import { showCommand } from './show.js';

// Add one import and one list entry per command; keep this file free of anything heavy.
export const commands: CommandModule<any, any>[] = [
  runCommand,
  resumeCommand,
  execCommand,
  validateCommand,
  graphCommand,
  schemaCommand,
  inspectCommand,
  runsCommand,
  showCommand,
];

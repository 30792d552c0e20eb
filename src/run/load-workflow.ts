// Loading a workflow as flow's commands and the library do: the workflow checked, and its notebooks too.
import { checkNotebooks } from '../notebook/check-notebooks.js';
import * as workflow from '../workflow/load-workflow.js';

export type { Loaded } from '../workflow/load-workflow.js';

export interface LoadWorkflowOptions {
  /** Check that each notebook exists, is a notebook, and defines the params it is passed. @default true */
  checkNotebooks?: boolean;
}

/**
 * Reads a workflow file into the immutable, typed `Workflow` (with its warnings), or throws a
 * `WorkflowError` listing every problem with its `file:line:col`, or a `UsageError` when the file
 * cannot be read.
 */
export function loadWorkflow(file: string, opts: LoadWorkflowOptions = {}): Promise<workflow.Loaded> {
  return workflow.loadWorkflow(file, checks(opts));
}

/** Like loadWorkflow, from text already read; `file` is where relative paths start from. */
export function parseWorkflow(
  text: string,
  file: string,
  opts: LoadWorkflowOptions & { displayName?: string } = {},
): Promise<workflow.Loaded> {
  return workflow.parseWorkflow(text, file, { ...checks(opts), displayName: opts.displayName });
}

function checks(opts: LoadWorkflowOptions): workflow.LoadOptions {
  return opts.checkNotebooks === false ? {} : { checkNodes: checkNotebooks };
}

// The Plan: a Workflow compiled to a DAG. Plain data; `flow graph` and `--dry-run` print it.
import type { Diagnostic } from '../errors.js';
import type { Workflow } from '../workflow/types.js';

export interface Plan {
  readonly workflow: Workflow;
  /** Node ids in a topological order (stable: file order among equals). */
  readonly order: readonly string[];
  /** id → the nodes it waits for: its `needs` plus every node whose `next` can go to it. */
  readonly upstream: Readonly<Record<string, readonly string[]>>;
  /** id → nodes that wait for it. */
  readonly downstream: Readonly<Record<string, readonly string[]>>;
  /** id → nodes whose `next` names it as a `goto` target. */
  readonly branchParents: Readonly<Record<string, readonly string[]>>;
  /** Unreachable nodes and the like; never errors (those throw WorkflowError). */
  readonly warnings: readonly Diagnostic[];
}

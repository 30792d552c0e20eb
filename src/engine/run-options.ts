// What runPlan takes and returns: the scheduler's options object and its summary.
import type { Expr, ExprContext } from '../workflow/types.js';
import type { NodeError, NodeStatus, RunEvent, SkipReason } from '../events/run-event.js';
import type { Clock, Executor } from './executor.js';

/**
 * The expression functions the scheduler needs, injected so that the engine does not depend
 * on the CEL implementation (src/workflow) and unit tests can use a trivial fake.
 */
export interface ExpressionFunctions {
  /** Evaluates an `if:`/`when:` condition; `operands` are the values it read, for skip reasons. */
  evaluateCondition(expr: Expr, ctx: ExprContext): { value: boolean; operands: Record<string, unknown> };
  /** Renders `${{ }}` templates inside a param value (deeply); a whole-value template keeps its type. */
  renderTemplate(value: unknown, ctx: ExprContext): unknown;
}

/** A node's result carried over from an earlier run (resume, --only, --from). */
export interface ReusedNode {
  status: NodeStatus;
  outputs?: Record<string, unknown>;
}

/** What started a run. */
export type RunTrigger = 'manual' | 'schedule' | 'catchup' | 'resume';

export interface RunOptions {
  /** Runs each attempt; runPlan never closes it (the caller owns it). */
  executor: Executor;
  /** The run's frozen, typed parameters. */
  params: Record<string, unknown>;
  runId: string;
  /** Where executed notebooks go (`<node>.ipynb`, …); it must exist. */
  runDir: string;
  /** Receives every event, synchronously, in order. */
  emit(ev: RunEvent): void;
  /** @default systemClock */
  clock?: Clock;
  /**
   * Aborting cancels the run: running attempts are interrupted, waiting nodes end `cancelled`.
   * Abort with reason `'SIGTERM'` for exit code 143; any other reason gives 130.
   */
  signal?: AbortSignal;
  /** Maximum attempts running at once. @default plan.workflow.concurrency */
  concurrency?: number;
  expressions: ExpressionFunctions;
  /**
   * Nodes not to execute: each ends at once with its recorded status and outputs
   * (`node_finished` with `reused: true`). A reused succeeded node with `next` has its branch
   * decided again from its recorded outputs. See planResume.
   */
  reuse?: Record<string, ReusedNode>;
  /**
   * Run only these nodes. Every other node is outside the run: its edges into a selected node
   * count as succeeded (branch choices are not applied), its outputs are those in `reuse` if
   * any (and it then appears in the run as reused), else it is absent from the run and from
   * expressions. Trigger rules between selected nodes and `if:` still apply.
   */
  only?: readonly string[];
  /**
   * Run this node and everything downstream of it; the rest is outside the run, as for `only`.
   * Ignored when `only` is given.
   */
  from?: string;
  /** The run this one resumes, for run_started. */
  resumedFrom?: string;
  /** The time the run is for (`run.logical_date`): a schedule's fire time. @default the run's start */
  logicalDate?: Date;
  /** What started it (`run.trigger`). @default 'resume' with resumedFrom, else 'manual' */
  trigger?: RunTrigger;
  /** `run.lineage_id`: the first run of a chain of resumes. @default runId */
  lineageId?: string;
  /** Wall-clock time for event timestamps. @default a Date from clock.now() */
  now?: () => Date;
}

export interface NodeSummary {
  status: NodeStatus;
  outputs?: Record<string, unknown>;
  error?: NodeError;
  skip?: SkipReason;
  /** Attempts made (the largest over matrix instances). */
  attempts: number;
  continueOnError?: boolean;
  reused?: boolean;
  notebookPath?: string;
}

export interface RunSummary {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** 0 success, 1 a node failed, 130 interrupted (143 on SIGTERM). */
  exitCode: number;
  /** Every node that took part in the run (outside nodes of --only/--from are absent). */
  nodes: Record<string, NodeSummary>;
  durationMs: number;
}

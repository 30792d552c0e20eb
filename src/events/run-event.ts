// The one event union the engine emits; reporters, the UI and the ledger consume only these.
import type { ErrorClass } from '../workflow/types.js';

/** Node statuses (DESIGN.md §3). */
export type NodeStatus =
  | 'pending'
  | 'queued'
  | 'running'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'upstream_failed'
  | 'cancelled';

export const terminalStatuses: ReadonlySet<NodeStatus> = new Set(['succeeded', 'failed', 'skipped', 'upstream_failed', 'cancelled']);

/** What a node's `next` chose, and why: the one shape of a branch decision, wherever it is shown. */
export interface BranchDecision {
  /** The `goto` target chosen; null when no branch matched. */
  chose: string | null;
  /** The matching `when` as written, 'otherwise', or '' when none was chosen. */
  because: string;
  /** Every value the `when`s read. */
  operands: Record<string, unknown>;
  /** The `when` expressions tried before the chosen branch, all false (in file order). */
  rejected?: string[];
}

/** Why a node was skipped, as data a person can read. */
export type SkipReason =
  | { kind: 'condition_false'; expression: string; operands: Record<string, unknown> }
  | ({
      kind: 'branch_not_taken';
      /** The node whose `next` decided (and chose another node, or none). */
      by: string;
    } & BranchDecision)
  | { kind: 'upstream_skipped'; upstream: string[] }
  | { kind: 'upstream_failed'; upstream: string[] }
  | { kind: 'trigger_rule'; rule: string; upstream: Record<string, NodeStatus> };

/** Why an attempt failed. */
export interface NodeError {
  errorClass: ErrorClass;
  message: string;
  /** 0-based index of the failing cell in the executed notebook's input. */
  cell?: number;
  executionCount?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** What an attempt reports while it runs; the scheduler turns it into RunEvents. */
export type AttemptProgress =
  | { kind: 'cell_started'; cell: number; total: number }
  | { kind: 'cell_finished'; cell: number; total: number; ok: boolean }
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string };

interface Base {
  /** ISO-8601 UTC. */
  at: string;
}
interface NodeBase extends Base {
  node: string;
  /** Matrix instance index (0-based), when the node fans out. */
  instance?: number;
}

export type RunEvent =
  | (Base & {
      type: 'run_started';
      runId: string;
      workflow: string;
      workflowFile: string;
      runDir: string;
      params: Record<string, unknown>;
      /** A decision node (`decision: true`) has no `notebook`: it runs none. */
      nodes: { id: string; notebook?: string; decision?: true; instances?: number }[];
      resumedFrom?: string;
      /** The time the run is for (a schedule's fire time; the start of a manual run), ISO-8601 UTC. */
      logicalDate?: string;
      /** What started it: manual, schedule, catchup or resume. */
      trigger?: string;
      /** The first run of its chain of resumes (its own id when it resumes none). */
      lineageId?: string;
    })
  | (NodeBase & { type: 'node_queued' })
  | (NodeBase & {
      type: 'node_started';
      attempt: number;
      maxAttempts: number;
      /** Absent for a decision node, which writes no notebook. */
      notebookPath?: string;
      params: Record<string, unknown>;
    })
  | (NodeBase & { type: 'cell_started'; attempt: number; cell: number; total: number })
  | (NodeBase & { type: 'cell_finished'; attempt: number; cell: number; total: number; ok: boolean })
  | (NodeBase & { type: 'node_output'; attempt: number; stream: 'stdout' | 'stderr'; text: string })
  | (NodeBase & {
      type: 'attempt_failed';
      attempt: number;
      error: NodeError;
      notebookPath: string;
      /** Milliseconds until the next attempt; absent when none is left. */
      retryInMs?: number;
    })
  | (NodeBase & { type: 'branch_decided' } & BranchDecision)
  | (NodeBase & {
      type: 'node_finished';
      status: Extract<NodeStatus, 'succeeded' | 'failed' | 'skipped' | 'upstream_failed' | 'cancelled'>;
      attempts: number;
      durationMs: number;
      outputs?: Record<string, unknown>;
      error?: NodeError;
      skip?: SkipReason;
      notebookPath?: string;
      /** True when the outputs were reused from an earlier run (resume). */
      reused?: boolean;
      continueOnError?: boolean;
    })
  | (Base & { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; node?: string })
  | (Base & {
      type: 'run_finished';
      status: 'succeeded' | 'failed' | 'cancelled';
      exitCode: number;
      durationMs: number;
      counts: Partial<Record<NodeStatus, number>>;
    })
  // After run_finished: how each `notify:` channel's message went (it never changes the run's status).
  | (Base & { type: 'notification_sent' } & NotificationOutcome)
  | (Base & { type: 'notification_failed' } & NotificationOutcome);

/** One channel's message about a run: `event` is why it was sent (failure, success, recovered…). */
export interface NotificationOutcome {
  channel: string;
  event: string;
  attempts: number;
  /** What the server said: an SMTP reply, an HTTP status. */
  answer?: string;
  /** Why it was not sent (credentials masked). */
  error?: string;
}

export type RunEventType = RunEvent['type'];

/** Schema version of the NDJSON event stream (`--reporter json`, events.ndjson). */
export const EVENT_SCHEMA_VERSION = 1;

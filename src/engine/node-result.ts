// A terminal node's result as the scheduler keeps it: what decides downstream edges.
import type { BranchDecision, NodeError, SkipReason } from '../events/run-event.js';
import type { EdgeStatus } from './trigger-rules.js';

export interface NodeResult {
  status: EdgeStatus;
  outputs?: Record<string, unknown>;
  error?: NodeError;
  skip?: SkipReason;
  /** Set when the node succeeded and has `next`, or failed with continue_on_error. */
  branch?: BranchDecision;
  attempts: number;
  notebookPath?: string;
  continueOnError?: boolean;
  reused?: boolean;
  /** Outside the selection of --only/--from: its edges count as succeeded. */
  outside?: boolean;
  /** Clock time its first attempt started: its duration excludes waiting for a slot. */
  startedAt?: number;
}

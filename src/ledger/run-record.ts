// run.json: the run's state (reduceRunState over its events) plus what makes it evidence.
import type { RunState } from '../events/run-state.js';
import type { WorkflowSnapshot } from './workflow-snapshot.js';

/** Bumped when run.json changes incompatibly. */
export const RUN_SCHEMA_VERSION = 1;

export interface RunRecord extends RunState {
  schemaVersion: number;
  /** The flow version that wrote it. */
  flowVersion: string;
  /** sha256 of the workflow file's text. */
  workflowHash: string;
  workflowSnapshot: WorkflowSnapshot;
  /** ISO-8601 UTC of the last write. */
  updatedAt: string;
  /**
   * The flow process that ran it, and its host: a run still `running` whose process is gone
   * was killed (see runIsAbandoned). Absent in records written before flow recorded them.
   */
  pid?: number;
  host?: string;
}

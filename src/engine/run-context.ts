// The state one run shares between the scheduler loop and the code that runs nodes.
import type { Plan } from '../graph/types.js';
import type { ExprContext } from '../workflow/types.js';
import type { RunEvent } from '../events/run-event.js';
import type { Clock } from './executor.js';
import type { NodeResult } from './node-result.js';
import type { RunOptions } from './run-options.js';
import type { Semaphore } from './semaphore.js';

/** An event before the scheduler stamps it with `at`. */
export type UnstampedEvent = RunEvent extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;

export interface RunContext {
  readonly plan: Plan;
  readonly opts: RunOptions;
  readonly clock: Clock;
  /** Aborted when the run is cancelled. */
  readonly signal: AbortSignal;
  /** The run's concurrency limit: one slot per running attempt. */
  readonly slots: Semaphore;
  /**
   * What expressions read. Shared and updated in place as nodes finish: expressions are
   * synchronous, and copying it per evaluation would make a 10,000-node run quadratic.
   */
  readonly ctx: ExprContext;
  readonly results: Map<string, NodeResult>;
  emit(ev: UnstampedEvent): void;
}

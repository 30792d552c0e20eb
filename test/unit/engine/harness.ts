// Runs a plan against a FakeExecutor and a FakeClock, collecting events and the summary.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../../src/events/run-event.js';
import type { RunOptions, RunSummary } from '../../../src/engine/run-options.js';
import { runPlan } from '../../../src/engine/scheduler.js';
import type { Plan } from '../../../src/graph/types.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeExecutor, type FakeScript } from '../../helpers/fake-executor.js';
import { fakeExpressions } from './fake-expressions.js';

export interface Harness {
  clock: FakeClock;
  executor: FakeExecutor;
  events: RunEvent[];
  runDir: string;
  run(extra?: Partial<RunOptions>): Promise<RunSummary>;
  /** node_finished events without an instance, by node. */
  finished(): Record<string, Extract<RunEvent, { type: 'node_finished' }>>;
}

export function harness(plan: Plan, script: FakeScript = {}, opts: { writeNotebooks?: boolean } = {}): Harness {
  const clock = new FakeClock();
  const executor = new FakeExecutor(script, { clock, writeNotebooks: opts.writeNotebooks });
  const events: RunEvent[] = [];
  const runDir = opts.writeNotebooks ? mkdtempSync(join(tmpdir(), 'flow-sched-')) : '/runs/wf/r1';
  return {
    clock,
    executor,
    events,
    runDir,
    run: (extra = {}) =>
      runPlan(plan, {
        executor,
        params: {},
        runId: 'r1',
        runDir,
        emit: (ev) => events.push(ev),
        clock,
        expressions: fakeExpressions,
        ...extra,
      }),
    finished: () =>
      Object.fromEntries(
        events
          .filter((e): e is Extract<RunEvent, { type: 'node_finished' }> => e.type === 'node_finished' && e.instance === undefined)
          .map((e) => [e.node, e]),
      ),
  };
}

/** Node → status of a summary, for compact assertions. */
export function statuses(summary: RunSummary): Record<string, string> {
  return Object.fromEntries(Object.entries(summary.nodes).map(([id, n]) => [id, n.status]));
}

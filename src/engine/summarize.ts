// The run's outcome and exit code from its nodes' results (DESIGN.md §3).
import { ExitCode, interruptExitCode } from '../errors.js';
import type { NodeResult } from './node-result.js';
import type { NodeSummary, RunSummary } from './run-options.js';

export function summarizeRun(
  runId: string,
  participants: readonly string[],
  results: ReadonlyMap<string, NodeResult>,
  signal: AbortSignal,
  durationMs: number,
): RunSummary {
  const nodes: Record<string, NodeSummary> = {};
  for (const id of participants) {
    const r = results.get(id)!;
    nodes[id] = {
      status: r.status,
      outputs: r.outputs,
      error: r.error,
      skip: r.skip,
      attempts: r.attempts,
      continueOnError: r.continueOnError,
      reused: r.reused || undefined,
      notebookPath: r.notebookPath,
    };
  }
  if (signal.aborted) {
    return { runId, status: 'cancelled', exitCode: interruptExitCode(signal.reason), nodes, durationMs };
  }
  // A failure with continue_on_error does not fail the run, nor does a reused result (it
  // belongs to the earlier run); anything failed upstream of a node does.
  const failed = Object.values(nodes).some(
    (n) => !n.reused && ((n.status === 'failed' && !n.continueOnError) || n.status === 'upstream_failed' || n.status === 'cancelled'),
  );
  return { runId, status: failed ? 'failed' : 'succeeded', exitCode: failed ? ExitCode.nodeFailed : ExitCode.ok, nodes, durationMs };
}

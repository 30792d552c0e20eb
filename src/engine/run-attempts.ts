// One attempt stream: a node (or one matrix instance) executed, and retried per its policy.
import { archiveAttemptNotebook, finalNotebookPath } from '../ledger/notebook-paths.js';
import { JupyterServerError, KernelError } from '../errors.js';
import type { NodeSpec } from '../workflow/types.js';
import type { NodeError } from '../events/run-event.js';
import type { AttemptResult } from './executor.js';
import { retryDelay } from './retry-policy.js';
import type { RunContext } from './run-context.js';
import type { Semaphore } from './semaphore.js';

export interface AttemptsOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  outputs?: Record<string, unknown>;
  error?: NodeError;
  attempts: number;
  notebookPath?: string;
  /** Clock time the first attempt started (after any wait for a slot); absent if none did. */
  startedAt?: number;
}

/**
 * Runs attempts until one succeeds, a failure is final, or the run is cancelled. Each attempt
 * holds a run slot (and a `nodeSlots` slot for a matrix instance) only while it executes:
 * a backoff wait holds none.
 */
export async function runAttempts(
  rc: RunContext,
  node: NodeSpec,
  params: Record<string, unknown>,
  instance?: number,
  nodeSlots?: Semaphore,
): Promise<AttemptsOutcome> {
  const { runDir } = rc.opts;
  let notebookPath: string | undefined;
  let lastError: NodeError | undefined;
  let startedAt: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const held = await acquire(rc, nodeSlots);
    if (!held) return { status: 'cancelled', error: lastError, attempts: attempt - 1, notebookPath, startedAt };
    startedAt ??= rc.clock.now();
    notebookPath = finalNotebookPath(runDir, node.id, instance);
    rc.emit({
      type: 'node_started',
      node: node.id,
      instance,
      attempt,
      maxAttempts: node.retry.attempts,
      notebookPath,
      params,
    });
    let result: AttemptResult;
    try {
      result = await execute(rc, node, params, attempt, notebookPath, instance);
    } finally {
      rc.slots.release();
      nodeSlots?.release();
    }
    if (result.ok) return { status: 'succeeded', outputs: result.outputs, attempts: attempt, notebookPath, startedAt };
    lastError = result.error;
    if (result.cancelled || rc.signal.aborted) {
      return { status: 'cancelled', error: result.error, attempts: attempt, notebookPath, startedAt };
    }
    const wait = retryDelay(node.retry, attempt, result.error.errorClass);
    if (wait === undefined) {
      rc.emit({ type: 'attempt_failed', node: node.id, instance, attempt, error: result.error, notebookPath });
      return { status: 'failed', error: result.error, attempts: attempt, notebookPath, startedAt };
    }
    notebookPath = await archiveAttemptNotebook(runDir, node.id, attempt, instance);
    rc.emit({ type: 'attempt_failed', node: node.id, instance, attempt, error: result.error, notebookPath, retryInMs: wait });
    await rc.clock.sleep(wait, rc.signal);
    if (rc.signal.aborted) return { status: 'cancelled', error: result.error, attempts: attempt, notebookPath, startedAt };
  }
}

async function acquire(rc: RunContext, nodeSlots: Semaphore | undefined): Promise<boolean> {
  if (nodeSlots && !(await nodeSlots.acquire(rc.signal))) return false;
  if (await rc.slots.acquire(rc.signal)) return true;
  nodeSlots?.release();
  return false;
}

async function execute(
  rc: RunContext,
  node: NodeSpec,
  params: Record<string, unknown>,
  attempt: number,
  outputPath: string,
  instance: number | undefined,
): Promise<AttemptResult> {
  const base = { node: node.id, instance, attempt };
  try {
    return await rc.opts.executor.execute({
      node,
      attempt,
      instance,
      params,
      outputPath,
      signal: rc.signal,
      onProgress: (p) => {
        if (p.kind === 'output') rc.emit({ ...base, type: 'node_output', stream: p.stream, text: p.text });
        else if (p.kind === 'cell_started') rc.emit({ ...base, type: 'cell_started', cell: p.cell, total: p.total });
        else rc.emit({ ...base, type: 'cell_finished', cell: p.cell, total: p.total, ok: p.ok });
      },
    });
  } catch (err) {
    // The executor should resolve with a failure; if it throws, the node fails, not the run.
    const infra = err instanceof KernelError || err instanceof JupyterServerError;
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { errorClass: infra ? 'kernel_start' : 'error', message } };
  }
}

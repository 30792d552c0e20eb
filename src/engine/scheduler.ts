// The scheduler: a ready-set loop that decides each node once its upstream is terminal and
// runs it within the concurrency limit. It never prints; it emits RunEvents (DESIGN.md §3).
import type { Plan } from '../graph/types.js';
import type { NodeStatus } from '../events/run-event.js';
import { decideBranch } from './branch.js';
import { decideNode } from './decide-node.js';
import { systemClock } from './executor.js';
import { matrixOutputsByKey, matrixSize } from './matrix.js';
import type { NodeResult } from './node-result.js';
import type { RunContext } from './run-context.js';
import { runNode } from './run-node.js';
import type { RunOptions, RunSummary } from './run-options.js';
import { Semaphore } from './semaphore.js';
import { selectNodes } from './selection.js';
import { summarizeRun } from './summarize.js';
import { createExprContext, workflowVars } from './expr-context.js';
import { isDecisionNode } from '../workflow/decision-nodes.js';

/**
 * Runs `plan` to the end and resolves with the summary; it rejects only on a bug or a usage
 * error (unknown --only/--from node). Node failures and cancellation are in the summary.
 */
export async function runPlan(plan: Plan, opts: RunOptions): Promise<RunSummary> {
  const selected = selectNodes(plan, opts.only, opts.from);
  return new Scheduler(plan, opts, selected).run();
}

class Scheduler {
  private readonly rc: RunContext;
  private readonly controller = new AbortController();
  private readonly remaining = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  /** Nodes that take part in the run (outside nodes of --only/--from without reuse do not). */
  private readonly participants: string[];
  private readonly ready: string[] = [];
  private readyHead = 0;
  private finished = 0;
  private draining = false;
  private done!: { resolve: () => void; reject: (e: unknown) => void };

  constructor(
    private readonly plan: Plan,
    private readonly opts: RunOptions,
    private readonly selected: Set<string> | undefined,
  ) {
    const clock = opts.clock ?? systemClock;
    const now = opts.now ?? (() => new Date(clock.now()));
    this.rc = {
      plan,
      opts,
      clock,
      signal: this.controller.signal,
      slots: new Semaphore(opts.concurrency ?? plan.workflow.concurrency),
      ctx: createExprContext(opts, now(), workflowVars(plan.workflow.vars, opts.expressions.renderTemplate)),
      results: new Map(),
      emit: (ev) => opts.emit({ ...ev, at: now().toISOString() } as Parameters<RunOptions['emit']>[0]),
    };
    this.participants = plan.order.filter((id) => !selected || selected.has(id) || opts.reuse?.[id]);
  }

  async run(): Promise<RunSummary> {
    const { plan, opts, rc } = this;
    const t0 = rc.clock.now();
    const onAbort = () => this.controller.abort(opts.signal?.reason);
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    rc.emit({
      type: 'run_started',
      runId: opts.runId,
      workflow: plan.workflow.name,
      workflowFile: plan.workflow.file,
      runDir: opts.runDir,
      params: opts.params,
      resumedFrom: opts.resumedFrom,
      logicalDate: (rc.ctx.run.logical_date as Date).toISOString(),
      trigger: rc.ctx.run.trigger,
      lineageId: rc.ctx.run.lineage_id,
      nodes: this.participants.map((id) => {
        const n = plan.workflow.nodes[id];
        const fansOut = n.matrix && !opts.reuse?.[id];
        if (isDecisionNode(n)) return { id, decision: true as const };
        return { id, notebook: n.notebookAsWritten, instances: fansOut ? matrixSize(n.matrix!) : undefined };
      }),
    });
    try {
      const finishedAll = new Promise<void>((resolve, reject) => (this.done = { resolve, reject }));
      this.finishPrecomputed();
      this.drain();
      await finishedAll;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    const summary = summarizeRun(opts.runId, this.participants, rc.results, this.controller.signal, rc.clock.now() - t0);
    rc.emit({
      type: 'run_finished',
      status: summary.status,
      exitCode: summary.exitCode,
      durationMs: summary.durationMs,
      counts: countByStatus(summary),
    });
    return summary;
  }

  /** Reused and outside nodes end at once; then the nodes with nothing to wait for are ready. */
  private finishPrecomputed(): void {
    const { plan, opts, rc } = this;
    for (const id of plan.order) {
      const reused = opts.reuse?.[id];
      const outside = this.selected !== undefined && !this.selected.has(id);
      if (!reused && !outside) continue;
      const result: NodeResult = {
        status: toEdgeStatus(reused?.status ?? 'succeeded'),
        outputs: reused?.outputs,
        attempts: 0,
        reused: reused !== undefined,
        outside,
      };
      const node = plan.workflow.nodes[id];
      if (reused && !outside && result.status === 'succeeded' && node.next.length > 0) {
        try {
          result.branch = decideBranch(node, reused.outputs ?? {}, rc.ctx, opts.expressions);
        } catch (err) {
          // Outputs recorded by an earlier run that this workflow's `next` cannot read: take no branch.
          result.branch = { chose: null, because: '', operands: {}, rejected: [] };
          rc.emit({ type: 'log', level: 'warn', node: id, message: `next of reused ${id}: ${(err as Error).message}` });
        }
        rc.emit({ type: 'branch_decided', node: id, ...result.branch });
      }
      this.record(id, result, reused !== undefined);
    }
    for (const id of plan.order) {
      if (rc.results.has(id)) continue;
      const waiting = (plan.upstream[id] ?? []).filter((u) => !rc.results.has(u)).length;
      this.remaining.set(id, waiting);
      if (waiting === 0) this.ready.push(id);
    }
    if (this.finished === plan.order.length) this.done.resolve();
  }

  /** Decides ready nodes until none is left; iterative so that a long skip cascade cannot overflow. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.readyHead < this.ready.length) {
        const id = this.ready[this.readyHead++];
        this.decide(id);
      }
      this.ready.length = this.readyHead = 0;
    } catch (err) {
      this.done.reject(err);
    } finally {
      this.draining = false;
    }
  }

  private decide(id: string): void {
    const { plan, rc } = this;
    if (rc.signal.aborted) return this.finish(id, { status: 'cancelled', attempts: 0 });
    const d = decideNode(plan, id, rc.results, rc.ctx, this.opts.expressions);
    if (!d.run) {
      if (d.status === 'failed') return this.finish(id, { status: 'failed', error: d.error, attempts: 0 });
      return this.finish(id, { status: d.status, skip: d.skip, attempts: 0 });
    }
    this.startedAt.set(id, rc.clock.now());
    this.hintNextNodes(id);
    runNode(rc, plan.workflow.nodes[id])
      .then((result) => {
        this.finish(id, result);
        this.drain();
      })
      .catch((err: unknown) => this.done.reject(err));
  }

  /**
   * Tells the executor which nodes wait only for `id`: they will probably start when it ends,
   * so their kernels can start now (≈0.8 s each, DESIGN §6). The executor bounds how many.
   */
  private hintNextNodes(id: string): void {
    const { executor } = this.opts;
    if (!executor.prepare) return;
    const waitsOnlyFor = (u: string) =>
      (this.plan.downstream[u] ?? []).filter((d) => !this.rc.results.has(d) && this.remaining.get(d) === 1);
    const next = waitsOnlyFor(id);
    // Two steps ahead: in a chain of short notebooks the next node often ends before the one
    // after it would have a kernel (≈0.6 s to start); the executor does not warm one twice.
    const hinted = [...new Set([...next, ...next.flatMap(waitsOnlyFor)])];
    // How many of them get a kernel is the executor's to decide (run/warm-up.ts).
    if (hinted.length > 0) executor.prepare(hinted.map((d) => this.plan.workflow.nodes[d]));
  }

  private finish(id: string, result: NodeResult): void {
    this.record(id, result, true);
    for (const d of this.plan.downstream[id] ?? []) {
      if (this.rc.results.has(d)) continue;
      const left = (this.remaining.get(d) ?? 0) - 1;
      this.remaining.set(d, left);
      if (left === 0) this.ready.push(d);
    }
    if (this.finished === this.plan.order.length) this.done.resolve();
  }

  /** Stores the result, exposes it to expressions and, for a participant, emits node_finished. */
  private record(id: string, result: NodeResult, announce: boolean): void {
    const { rc } = this;
    rc.results.set(id, result);
    this.finished++;
    if (result.outputs !== undefined || !result.outside) {
      const outputs = result.status === 'succeeded' ? (result.outputs ?? {}) : {};
      const matrix = this.plan.workflow.nodes[id]?.matrix;
      rc.ctx.nodes[id] = { outputs, status: result.status, ...(matrix && { by: matrixOutputsByKey(matrix, outputs) }) };
    }
    if (!announce) return;
    // The first attempt's start, when known: a node queued for a slot is not yet running.
    const started = result.startedAt ?? this.startedAt.get(id);
    rc.emit({
      type: 'node_finished',
      node: id,
      status: result.status,
      attempts: result.attempts,
      durationMs: started === undefined ? 0 : rc.clock.now() - started,
      outputs: result.outputs,
      error: result.error,
      skip: result.skip,
      notebookPath: result.notebookPath,
      reused: result.reused || undefined,
      continueOnError: result.continueOnError,
    });
  }
}

function toEdgeStatus(s: string): NodeResult['status'] {
  return s === 'failed' || s === 'skipped' || s === 'upstream_failed' || s === 'cancelled' ? s : 'succeeded';
}

function countByStatus(summary: RunSummary): Partial<Record<NodeStatus, number>> {
  const counts: Partial<Record<NodeStatus, number>> = {};
  for (const n of Object.values(summary.nodes)) counts[n.status] = (counts[n.status] ?? 0) + 1;
  return counts;
}

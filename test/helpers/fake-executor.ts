// An Executor for scheduler tests: scripted results per node and attempt, and a record of calls.
import { writeFile } from 'node:fs/promises';
import type { AttemptRequest, AttemptResult, Clock, Executor } from '../../src/engine/executor.js';
import type { AttemptProgress } from '../../src/events/run-event.js';
import type { NodeError } from '../../src/events/run-event.js';
import type { ErrorClass } from '../../src/workflow/types.js';

/** One scripted attempt. With nothing set, it succeeds with no outputs at once. */
export interface FakeStep {
  outputs?: Record<string, unknown>;
  /** Fail with this error class (message "<class> in <node>") or this error. */
  fail?: ErrorClass | NodeError;
  /** Take this long on the clock (cancellable). */
  durationMs?: number;
  /** Run until the signal aborts, then resolve cancelled. */
  hang?: boolean;
  progress?: AttemptProgress[];
}

/** Steps by attempt (the last repeats), or a function of the request. */
export type FakeScript = Record<string, FakeStep | FakeStep[] | ((req: AttemptRequest) => FakeStep)>;

export interface FakeCall {
  node: string;
  instance?: number;
  attempt: number;
  params: Record<string, unknown>;
  outputPath: string;
  startedAt: number;
}

export class FakeExecutor implements Executor {
  readonly calls: FakeCall[] = [];
  running = 0;
  maxRunning = 0;
  /** Node ids passed to prepare(). */
  readonly prepared: string[] = [];
  private readonly startWaiters: { node: string; resolve: () => void }[] = [];

  /**
   * Script keys are a node id, or `<node>#<instance>` for one matrix instance.
   * With `writeNotebooks`, each attempt writes `{"node","attempt"}` to its outputPath.
   */
  constructor(
    private readonly script: FakeScript = {},
    private readonly opts: { clock?: Clock; writeNotebooks?: boolean } = {},
  ) {}

  /** Resolves when an attempt of `node` starts (at once if one already has). */
  started(node: string): Promise<void> {
    if (this.calls.some((c) => c.node === node)) return Promise.resolve();
    return new Promise((resolve) => this.startWaiters.push({ node, resolve }));
  }

  prepare(nodes: readonly { id: string }[]): void {
    for (const n of nodes) this.prepared.push(n.id);
  }

  async execute(req: AttemptRequest): Promise<AttemptResult> {
    const node = req.node.id;
    this.calls.push({
      node,
      instance: req.instance,
      attempt: req.attempt,
      params: req.params,
      outputPath: req.outputPath,
      startedAt: this.opts.clock?.now() ?? 0,
    });
    for (const w of this.startWaiters.filter((x) => x.node === node)) w.resolve();
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const step = this.stepFor(req);
      if (this.opts.writeNotebooks) {
        await writeFile(req.outputPath, JSON.stringify({ node, instance: req.instance, attempt: req.attempt }));
      }
      for (const p of step.progress ?? []) req.onProgress?.(p);
      if (step.hang) await untilAborted(req.signal);
      else if (step.durationMs) await this.clock().sleep(step.durationMs, req.signal);
      // Yield once so that concurrently started attempts overlap even with no duration.
      else await Promise.resolve();
      if (req.signal.aborted) {
        return { ok: false, cancelled: true, error: { errorClass: 'error', message: 'cancelled' } };
      }
      if (step.fail) {
        const error = typeof step.fail === 'string' ? { errorClass: step.fail, message: `${step.fail} in ${node}` } : step.fail;
        return { ok: false, error };
      }
      return { ok: true, outputs: step.outputs ?? {} };
    } finally {
      this.running--;
    }
  }

  /** Calls of one node, in order. */
  callsOf(node: string): FakeCall[] {
    return this.calls.filter((c) => c.node === node);
  }

  private stepFor(req: AttemptRequest): FakeStep {
    const key = req.instance === undefined ? req.node.id : `${req.node.id}#${req.instance}`;
    const entry = this.script[key] ?? this.script[req.node.id];
    if (entry === undefined) return {};
    if (typeof entry === 'function') return entry(req);
    if (!Array.isArray(entry)) return entry;
    return entry[Math.min(req.attempt, entry.length) - 1] ?? {};
  }

  private clock(): Clock {
    if (!this.opts.clock) throw new Error('FakeExecutor: a step with durationMs needs a clock');
    return this.opts.clock;
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

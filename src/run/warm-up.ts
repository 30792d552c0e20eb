// The nodes a run starts with, and their kernels started before the server is even up.
import { availableParallelism, freemem } from 'node:os';
import type { ReusedNode } from '../engine/run-options.js';
import type { Plan } from '../graph/types.js';
import { nodeKernelCwd, nodeKernelName } from '../kernel/node-kernel.js';
import type { NodeSpec } from '../workflow/types.js';

export interface FirstNodesOptions {
  only?: string[];
  reuse?: Record<string, ReusedNode>;
}

/** Nodes that wait for nothing: their kernels can start before the run does. */
export function firstNodes(plan: Plan, o: FirstNodesOptions): NodeSpec[] {
  const selected = o.only ? new Set(o.only) : undefined;
  return plan.order
    .filter((id) => (plan.upstream[id] ?? []).length === 0 && !o.reuse?.[id] && (!selected || selected.has(id)))
    .map((id) => plan.workflow.nodes[id]!);
}

/** No kernel starts before the server while the machine has less free memory than this (an idle IPython kernel holds ≈60 MB). */
const PRELAUNCH_MIN_FREE = 1024 * 2 ** 20;

/**
 * The first nodes' kernels start while the server itself is still starting: they overlap its
 * ≈0.4 s of imports instead of following them (a one-notebook run ends ≈0.2-0.4 s sooner,
 * measured). Only when they all fit on the cores the server leaves idle (one kernel on 2
 * cores): kernel starts are CPU-bound, and with more of them than that, starting some early
 * only slowed down the server that all the others wait for (measured: 8 at once on 2 cores made
 * it ready ≈1 s later, and the run no sooner).
 */
export function prelaunchFirstNodes(
  plan: Plan,
  o: FirstNodesOptions & { concurrency?: number },
  prelaunch: (kernelName: string, cwd: string) => void,
): void {
  if (freemem() < PRELAUNCH_MIN_FREE) return;
  const first = firstNodes(plan, o).slice(0, o.concurrency ?? plan.workflow.concurrency);
  if (first.length > Math.max(1, availableParallelism() - 1)) return;
  for (const node of first) {
    void nodeKernelName(node).then((name) => prelaunch(name, nodeKernelCwd(node)));
  }
}
